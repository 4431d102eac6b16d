package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.Test;

/**
 * One test per dead-letter reason code (CONTRACT.md section 4): the entry lands on crm:dlq with every original field
 * and its dlq.* fields, is acked, and its processing record says deadlettered.
 */
class DeadLetterReasonsIT extends SyncITSupport {

    private static final String USERS = "crm:sync:user:user_created";

    private Map<String, String> deadLetterOf(String stream, Map<String, String> fields) {
        String id = publish(stream, fields);
        Map<String, String> dead = awaitDeadLetter(stream, id);
        fields.forEach((k, v) -> assertThat(dead).containsEntry(k, v));
        assertThat(dead).containsEntry("dlq.sourceStream", stream).containsEntry("dlq.sourceId", id)
                .containsKeys("dlq.group", "dlq.consumer", "dlq.routeId", "dlq.error", "dlq.deliveryCount", "dlq.failedAt");
        assertThat(awaitRecord(stream, id).getString("status")).isEqualTo("deadlettered");
        // acks are batched: the entry leaves the pending list shortly after its dead-letter entry is written
        await().atMost(PROCESSING).until(() -> PUBLISHER.xpending(stream, dead.get("dlq.group"),
                io.lettuce.core.Range.create(id, id), io.lettuce.core.Limit.from(1)).isEmpty());
        return dead;
    }

    @Test
    void invalidJsonInData() {
        assertThat(deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant, "data", "{oops"))
                .get("dlq.reason")).isEqualTo("invalid-json");
    }

    @Test
    void missingField() {
        assertThat(deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant, "data", "{\"email\":\"a@b.c\"}"))
                .get("dlq.reason")).isEqualTo("missing-field");
    }

    @Test
    void unknownEventType() {
        Map<String, String> dead = deadLetterOf(USERS, fields("eventType", "user_teleported", "tenantId", tenant,
                "entityId", "u1", "data", "{}"));
        assertThat(dead.get("dlq.reason")).isEqualTo("unknown-event-type");
        assertThat(dead.get("dlq.error")).contains("user.teleported");
    }

    @Test
    void tenantMismatch() {
        String userId = tenant + "-shared";
        awaitRecord(USERS, publishFlat(USERS, "user_created", userId, "2024-01-15T10:00:00Z", "{\"email\":\"a@tenant-a.com\"}"));

        Map<String, String> dead = deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", "other-" + tenant,
                "entityId", userId, "timestamp", "2024-01-16T10:00:00Z", "data", "{\"email\":\"evil@tenant-b.com\"}"));

        assertThat(dead.get("dlq.reason")).isEqualTo("tenant-mismatch");
        assertThat(document("users", userId).getString("email")).isEqualTo("a@tenant-a.com");
        assertThat(document("users", userId).getString("tenantId")).isEqualTo(tenant);
    }

    @Test
    void unsafeKey() {
        Map<String, String> dead = deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant,
                "entityId", tenant + "-u9", "data", "{\"$where\":\"1\",\"email\":\"x\"}"));
        assertThat(dead.get("dlq.reason")).isEqualTo("unsafe-key");
        assertThat(document("users", tenant + "-u9")).isNull();
    }

    @Test
    void tooLarge() {
        Map<String, String> dead = deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant,
                "entityId", tenant + "-big", "data", "{\"bio\":\"" + "x".repeat(1_100_000) + "\"}"));
        assertThat(dead.get("dlq.reason")).isEqualTo("too-large");
    }

    /** {"a":{"a":...{"a":1}}}, {@code levels} objects deep. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{\"a\":1}" + "}".repeat(levels - 1);
    }

    /**
     * A real MongoDB refuses a document nested past about 180 levels, and past 200 the whole batch holding it; the
     * stand-in takes it. Refused at parse time, it is dead-lettered with its own reason, and the same user's next event
     * applies.
     */
    @Test
    void tooDeep() {
        String userId = tenant + "-deep";
        Map<String, String> dead = deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant,
                "entityId", userId, "timestamp", "2024-01-15T10:00:00Z",
                "data", "{\"email\":\"deep@acme.test\",\"profile\":" + nested(250) + "}"));
        assertThat(dead.get("dlq.reason")).isEqualTo("too-deep");
        assertThat(document("users", userId)).isNull();

        awaitRecord(USERS, publishFlat(USERS, "user_created", userId, "2024-01-15T10:00:01Z", "{\"email\":\"d@acme.test\"}"));

        assertThat(document("users", userId).getString("email")).isEqualTo("d@acme.test");
    }

    /** The deepest payload accepted, stored as a field of its document (inter-app data), stays within MongoDB's 100. */
    @Test
    void dataAtTheDepthLimitIsStoredWithinMongoDbsHundredLevels() {
        String eventId = tenant + "-deepest";
        String id = publish("inter-app-events", fields("eventId", eventId, "eventType", "invoice.paid", "tenantId", tenant,
                "targetApplication", "crm", "eventData", nested(99)));

        assertThat(awaitRecord("inter-app-events", id).getString("status")).isEqualTo("processed");
        assertThat(depth(document("interAppEvents", eventId))).isEqualTo(100);
    }

    private static int depth(Object value) {
        if (value instanceof Map<?, ?> map) {
            return 1 + map.values().stream().mapToInt(DeadLetterReasonsIT::depth).max().orElse(0);
        }
        if (value instanceof List<?> list) {
            return 1 + list.stream().mapToInt(DeadLetterReasonsIT::depth).max().orElse(0);
        }
        return 0;
    }

    @Test
    void invalidField() {
        assertThat(deadLetterOf(USERS, fields("eventType", "user_created", "tenantId", tenant, "entityId", "u",
                "timestamp", "not-a-time", "data", "{}")).get("dlq.reason")).isEqualTo("invalid-field");
    }

    @Test
    void maxDeliveries() {
        // an entry another consumer has already had 10 times: the first live consumer to reclaim it dead-letters it
        String id = System.currentTimeMillis() + "-999999";
        Map<String, String> poison = fields("eventType", "user_created", "tenantId", tenant, "entityId", tenant + "-p",
                "data", "{\"email\":\"p@example.com\"}");
        PUBLISHER.multi();
        PUBLISHER.xadd(USERS, new io.lettuce.core.XAddArgs().id(id), poison);
        PUBLISHER.xreadgroup(Consumer.from("crm-consumers", "dead-pod"), XReadArgs.Builder.count(1),
                XReadArgs.StreamOffset.lastConsumed(USERS));
        PUBLISHER.xclaim(USERS, Consumer.from("crm-consumers", "dead-pod"), XClaimArgs.Builder.minIdleTime(0).retryCount(10), id);
        List<Object> results = PUBLISHER.exec().stream().toList();
        assertThat(results).hasSize(3);

        Map<String, String> dead = awaitDeadLetter(USERS, id);
        assertThat(dead.get("dlq.reason")).isEqualTo("max-deliveries");
        assertThat(Long.parseLong(dead.get("dlq.deliveryCount"))).isGreaterThan(5);
        assertThat(document("users", tenant + "-p")).isNull();
    }
}
