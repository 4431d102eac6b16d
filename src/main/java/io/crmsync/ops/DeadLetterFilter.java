package io.crmsync.ops;

import java.time.Instant;
import java.util.Map;

import io.crmsync.core.event.EventTypes;

/**
 * Which dead-letter entries an ops action applies to; every part is optional.
 *
 * @param reason    {@code dlq.reason}, such as organization-not-found
 * @param eventType the original event type, in any spelling (user_created matches user.created)
 * @param from      failed at or after
 * @param to        failed before
 * @param limit     at most this many entries
 */
public record DeadLetterFilter(String reason, String eventType, Instant from, Instant to, int limit) {

    public static final int DEFAULT_LIMIT = 100;

    public DeadLetterFilter {
        if (limit <= 0) {
            limit = DEFAULT_LIMIT;
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    /**
     * The criteria set, as an audit line reads them ({@code reason organization-not-found, from 2024-01-15T10:00:00Z,
     * at most 10}); {@code every entry} when none is. A replay's "no limit" is no criterion.
     */
    @Override
    public String toString() {
        java.util.List<String> criteria = new java.util.ArrayList<>();
        if (reason != null) {
            criteria.add("reason " + reason);
        }
        if (eventType != null) {
            criteria.add("type " + eventType);
        }
        if (from != null) {
            criteria.add("from " + from);
        }
        if (to != null) {
            criteria.add("to " + to);
        }
        if (limit != Integer.MAX_VALUE) {
            criteria.add("at most " + limit);
        }
        return criteria.isEmpty() ? "every entry" : String.join(", ", criteria);
    }

    boolean matches(String entryId, Map<String, String> fields) {
        if (reason != null && !reason.equals(fields.get("dlq.reason"))) {
            return false;
        }
        if (eventType != null && !EventTypes.normalize(eventType).equals(DeadLetterEntry.eventType(fields))) {
            return false;
        }
        Instant failedAt = DeadLetterEntry.failedAt(entryId, fields);
        return (from == null || !failedAt.isBefore(from)) && (to == null || failedAt.isBefore(to));
    }
}
