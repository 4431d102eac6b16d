package io.crmsync.event;

/**
 * The dead-letter reason codes of the contract (section 4), as written to {@code dlq.reason}.
 */
public enum RejectReason {
    INVALID_JSON("invalid-json"),
    INVALID_FIELD("invalid-field"),
    MISSING_FIELD("missing-field"),
    UNKNOWN_EVENT_TYPE("unknown-event-type"),
    ORGANIZATION_NOT_FOUND("organization-not-found"),
    TENANT_MISMATCH("tenant-mismatch"),
    UNSAFE_KEY("unsafe-key"),
    TOO_LARGE("too-large"),
    MAX_DELIVERIES("max-deliveries"),
    PROCESSING_ERROR("processing-error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
