package io.crmsync.ops;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.core.deadletter.DeadLetters;
import io.crmsync.core.event.EventTypes;
import io.crmsync.sources.redis.RedisStreamEntries;

/**
 * One entry of the dead-letter stream, as the ops tools show it.
 *
 * @param original   the entry's fields as they were on the source stream (without dlq.*)
 * @param sourceKind    {@code cdc} for a change event (its source is a slot or a topic, not a stream), else null
 * @param firstFailedAt when the event was first dead-lettered, carried across the parking lot's re-drives; for an
 *                      entry never re-driven, its own {@code failedAt}
 */
public record DeadLetterEntry(String id, String reason, String error, String sourceStream, String sourceId,
        String eventType, String failedAt, String deliveryCount, Map<String, String> original, String sourceKind,
        String firstFailedAt) {

    static DeadLetterEntry of(String id, Map<String, String> fields) {
        Map<String, String> original = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (!k.startsWith("dlq.")) {
                original.put(k, v);
            }
        });
        String failedAt = failedAt(id, fields).toString();
        return new DeadLetterEntry(id, fields.get("dlq.reason"), fields.get("dlq.error"), fields.get("dlq.sourceStream"),
                fields.get("dlq.sourceId"), eventType(fields), failedAt, fields.get("dlq.deliveryCount"), original,
                fields.get("dlq.sourceKind"), firstFailedAt(fields, failedAt));
    }

    private static String firstFailedAt(Map<String, String> fields, String failedAt) {
        try {
            String text = fields.get(DeadLetters.FIRST_FAILED_AT);
            return text == null ? failedAt : Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            return failedAt;
        }
    }

    static String eventType(Map<String, String> fields) {
        return fields.get("dlq.eventType") != null ? fields.get("dlq.eventType") : EventTypes.asSent(fields);
    }

    static Instant failedAt(String id, Map<String, String> fields) {
        try {
            String text = fields.get("dlq.failedAt");
            return text != null ? Instant.parse(text) : RedisStreamEntries.entryTime(id);
        } catch (DateTimeParseException e) {
            return RedisStreamEntries.entryTime(id);
        }
    }
}
