package io.crmsync.core.event;

import java.util.regex.Pattern;

/**
 * A dead-letter reason code, as written to {@code dlq.reason}: the contract's (section 4) as constants, and any a
 * mapping names, such as a lookup's {@code missing: organization-not-found}.
 *
 * @param code lower case words joined by {@code -}
 */
public record RejectReason(String code) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public static final RejectReason INVALID_JSON = new RejectReason("invalid-json");
    public static final RejectReason INVALID_FIELD = new RejectReason("invalid-field");
    public static final RejectReason MISSING_FIELD = new RejectReason("missing-field");
    public static final RejectReason UNKNOWN_EVENT_TYPE = new RejectReason("unknown-event-type");
    public static final RejectReason ORGANIZATION_NOT_FOUND = new RejectReason("organization-not-found");
    public static final RejectReason TENANT_MISMATCH = new RejectReason("tenant-mismatch");
    public static final RejectReason UNSAFE_KEY = new RejectReason("unsafe-key");
    public static final RejectReason TOO_LARGE = new RejectReason("too-large");
    public static final RejectReason TOO_DEEP = new RejectReason("too-deep");
    public static final RejectReason MAX_DELIVERIES = new RejectReason("max-deliveries");
    public static final RejectReason PROCESSING_ERROR = new RejectReason("processing-error");

    public RejectReason {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a reason code is lower-case words joined by '-', such as "
                    + "organization-not-found; not '" + code + "'");
        }
    }

    public static boolean isValid(String code) {
        return code != null && CODE.matcher(code).matches();
    }
}
