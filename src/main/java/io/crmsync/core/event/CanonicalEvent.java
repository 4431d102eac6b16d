package io.crmsync.core.event;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the routing and write stages see it, whatever source and message shape it came from.
 *
 * @param id         event identity: {@code eventId} when sent, else {@code <source>/<position>}
 * @param type       normalised event type, for example {@code user.created}
 * @param tenantId   the tenant every write is fenced to
 * @param entityType entity type as sent, may be null
 * @param entityId   entity id as sent at the top level, may be null (handlers fall back to keys in data)
 * @param time       event time: {@code timestamp} when sent, else the source position's time
 * @param data       the event payload, keys as sent
 * @param metadata   the event metadata, keys as sent
 * @param source     where it was read: a stream key, a topic, a table
 * @param position   position within the source: a stream entry id, an offset
 * @param fields     the message's fields exactly as received, for dead-lettering and the inter-app archive
 */
public record CanonicalEvent(
        String id, String type, String tenantId, String entityType, String entityId, Instant time,
        Map<String, Object> data, Map<String, Object> metadata, String source, String position,
        Map<String, String> fields) {

    /** The same event, fenced to a tenant found elsewhere than in the event itself (a delete's stored document). */
    public CanonicalEvent withTenant(String tenant) {
        return new CanonicalEvent(id, type, tenant, entityType, entityId, time, data, metadata, source, position, fields);
    }

    /** The key of this event's processing record: {@code <source>/<position>}. */
    public String origin() {
        return source + "/" + position;
    }

    /** A value from data, else from the top-level fields; null when absent or blank. */
    public String text(String key) {
        Object value = data.get(key);
        if (value == null) {
            value = fields.get(key);
        }
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** Like {@link #text(String)}, but a missing value is a permanent rejection naming the field. */
    public String required(String key) {
        String value = text(key);
        if (value == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "event " + id + " (" + type + ") has no " + key);
        }
        return value;
    }

    /** The first present value among the keys, or a rejection naming them all. */
    public String requiredAny(String... keys) {
        for (String key : keys) {
            String value = text(key);
            if (value != null) {
                return value;
            }
        }
        throw new EventRejectedException(RejectReason.MISSING_FIELD,
                "event " + id + " (" + type + ") has none of " + String.join(", ", keys));
    }
}
