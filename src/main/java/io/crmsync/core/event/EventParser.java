package io.crmsync.core.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the contract's three message shapes (flat, envelope, bare; CONTRACT.md section 2) into one
 * {@link CanonicalEvent}. It knows nothing of where the fields came from: a source adapter passes the source
 * name, the position and the position's time.
 */
public final class EventParser {

    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:?\\d{2}$");
    private static final Pattern EPOCH = Pattern.compile("\\d+(\\.\\d+)?");
    // an epoch number below this is seconds (until the year 5138), at or above it milliseconds (from 1973-03-03):
    // events of this century are 10 digits in seconds and 13 in milliseconds, far from the line
    private static final long SECONDS_BELOW = 100_000_000_000L;
    // An envelope may arrive as one field holding the whole JSON document under any of these names.
    private static final List<String> WRAPPER_FIELDS = List.of("event", "payload", "message");
    // Top-level keys that describe the event rather than carry its payload (bare shape: the rest is the payload).
    private static final Set<String> ENVELOPE_KEYS = Set.of("streamId", "timestamp", "sourceApp", "source", "version",
            "eventId", "eventType", "entityType", "entityId", "tenantId", "action", "data", "metadata");

    private final ObjectMapper json;
    private final PayloadGuard guard;
    private final Map<String, String> typeOverrides;

    public EventParser(ObjectMapper json, long maxPayloadBytes) {
        this(json, maxPayloadBytes, Map.of());
    }

    /**
     * @param typeOverrides source (stream key) to the type every event from it has, whatever it says: a stream whose
     *                      events all mean one thing, such as {@code crm:sync:role_permissions}
     */
    public EventParser(ObjectMapper json, long maxPayloadBytes, Map<String, String> typeOverrides) {
        this.json = json;
        this.guard = new PayloadGuard(maxPayloadBytes);
        this.typeOverrides = Map.copyOf(typeOverrides);
    }

    public CanonicalEvent parse(Map<String, String> fields, String source, String position, Instant positionTime) {
        guard.checkSize(fields);
        guard.checkKeys(fields, "fields");
        Map<String, Object> wrapped = wrapped(fields);
        Map<String, Object> top = wrapped != null ? wrapped : new LinkedHashMap<>(fields);
        Map<String, Object> data = data(top);
        Map<String, Object> metadata = object(top.get("metadata"), "metadata");
        // an envelope holds data one level down, so it may have one level more
        guard.checkDepth(top, PayloadGuard.MAX_DEPTH + 1, "event");
        guard.checkDepth(data, PayloadGuard.MAX_DEPTH, "data");
        guard.checkDepth(metadata, PayloadGuard.MAX_DEPTH, "metadata");
        // a top level copied from the fields holds the keys checked just above; only a wrapper's JSON is new
        if (wrapped != null) {
            guard.checkKeys(top, "event");
        }
        guard.checkKeys(data, "data");
        guard.checkKeys(metadata, "metadata");

        String type = EventTypes.normalize(typeOverrides.getOrDefault(source, text(top.get("eventType"))));
        if (type == null) {
            type = EventTypes.fromStreamKey(source);
        }
        if (type == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "no eventType, and stream " + source + " does not name one");
        }
        // the last: a replayed dead letter carries its old identity as a field beside an envelope
        String eventId = firstText(top.get("eventId"), data.get("eventId"), fields.get("eventId"));
        String id = eventId != null ? eventId : source + "/" + position;
        String tenantId = tenant(top, data, metadata, id);
        // the last: a replayed dead letter carries its original time as a field beside an envelope
        String timestamp = firstText(top.get("timestamp"), fields.get("timestamp"));
        Instant time = timestamp != null ? parseTime(timestamp) : positionTime;
        return new CanonicalEvent(id, type, tenantId, text(top.get("entityType")), text(top.get("entityId")), time,
                data, metadata, source, position, fields);
    }

    /** The event a wrapper field holds as JSON, or null when the fields are the event's top level themselves. */
    private Map<String, Object> wrapped(Map<String, String> fields) {
        if (!fields.containsKey("eventType")) {
            for (String wrapper : WRAPPER_FIELDS) {
                String value = fields.get(wrapper);
                if (value != null && value.trim().startsWith("{")) {
                    return object(value, wrapper);
                }
            }
        }
        return null;
    }

    private Map<String, Object> data(Map<String, Object> top) {
        if (top.containsKey("data")) {
            return object(top.get("data"), "data");
        }
        if (top.containsKey("eventData")) {
            return object(top.get("eventData"), "eventData");
        }
        Map<String, Object> bare = new LinkedHashMap<>(top);
        bare.keySet().removeAll(ENVELOPE_KEYS);
        return bare;
    }

    private Map<String, Object> object(Object value, String name) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        String text = value.toString();
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = json.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?>) {
                // Jackson reads a JSON object as a LinkedHashMap with String keys
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) parsed;
                return object;
            }
            throw new EventRejectedException(RejectReason.INVALID_JSON, name + " is JSON but not an object");
        } catch (StreamConstraintsException e) {
            // Jackson's own bound (1,000 levels) met before the guard's: the same refusal, whatever the depth
            throw new EventRejectedException(e.getMessage() != null && e.getMessage().contains("depth")
                    ? RejectReason.TOO_DEEP : RejectReason.INVALID_JSON, name + " is refused: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new EventRejectedException(RejectReason.INVALID_JSON,
                    name + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String tenant(Map<String, Object> top, Map<String, Object> data, Map<String, Object> metadata, String id) {
        String declared = text(top.get("tenantId"));
        String inData = text(data.get("tenantId"));
        // A payload naming another tenant than its envelope must not get to pick which one is written.
        if (declared != null && inData != null && !declared.equals(inData)) {
            throw new EventRejectedException(RejectReason.TENANT_MISMATCH,
                    "event " + id + " names two tenants: the envelope's and another in data");
        }
        String tenant = firstText(declared, inData, metadata.get("tenantId"));
        if (tenant == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "event " + id + " has no tenantId");
        }
        return tenant;
    }

    // field versions are stamped with nanoseconds since 1970 in 19 digits: times outside this range cannot be ordered
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    public static Instant parseTime(String value) {
        String text = value.trim();
        Instant time;
        try {
            Instant utc = utc(text);
            if (utc != null) {
                time = utc;
            } else if (EPOCH.matcher(text).matches()) {
                time = epoch(text);
            } else if (text.endsWith("Z") || OFFSET.matcher(text).find()) {
                time = OffsetDateTime.parse(text).toInstant();
            } else {
                time = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
        } catch (java.time.DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "timestamp '" + abbreviate(text)
                    + "' is neither ISO-8601 nor epoch seconds or milliseconds");
        }
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD,
                    "timestamp '" + abbreviate(text) + "' is outside 1970-01-01 to 2200-01-01");
        }
        return time;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the shape nearly every event's timestamp has, read without a
     * formatter: OffsetDateTime.parse took a tenth of an event's parsing. Null for any other shape, which the
     * formatters then read; an impossible date (month 13) throws as they would.
     */
    static Instant utc(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int digits = length - 21;
            if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            nanos = digits(text, 20, length - 1);
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second | nanos) < 0) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Epoch seconds (a fraction allowed) or milliseconds, told apart by size; see {@link #SECONDS_BELOW}. */
    private static Instant epoch(String text) {
        java.math.BigDecimal number = new java.math.BigDecimal(text);
        if (number.compareTo(java.math.BigDecimal.valueOf(SECONDS_BELOW)) < 0) {
            java.math.BigDecimal nanos = number.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN);
            return Instant.ofEpochSecond(0, nanos.longValueExact());
        }
        if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
            throw new NumberFormatException("fractional milliseconds");
        }
        return Instant.ofEpochMilli(number.longValueExact());
    }

    private static String firstText(Object... values) {
        for (Object value : values) {
            String text = text(value);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /**
     * A message's fields as text, names and values: what a stream holds, whatever map carried them. A map that holds
     * only text already, as the redis-streams consumer's does, is returned as it is rather than copied.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> asText(Map<?, ?> fields) {
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            if (!(field.getKey() instanceof String) || field.getValue() != null && !(field.getValue() instanceof String)) {
                Map<String, String> text = new LinkedHashMap<>();
                fields.forEach((k, v) -> text.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
                return text;
            }
        }
        return (Map<String, String>) fields;
    }
}
