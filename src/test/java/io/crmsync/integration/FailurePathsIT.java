package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Servers failing under the app (CONTRACT.md invariants 1 and 5), and collections mapped by configuration. Has its
 * own servers, because it stops them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class FailurePathsIT {

    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final int MONGO_PORT = EmbeddedRedis.freePort();
    private static EmbeddedMongo mongoServer = EmbeddedMongo.start(MONGO_PORT);
    private static final RedisCommands<String, String> REDIS_CLIENT = RedisClient.create(REDIS.url()).connect().sync();
    private static final String BROKEN_DLQ = "broken:dlq";

    @Autowired
    MongoClient mongo;
    @Autowired
    org.springframework.boot.test.web.client.TestRestTemplate http;

    private int readiness() {
        return http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value();
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("crm.redis-url", REDIS::url);
        // short driver timeouts, so a stopped server fails an attempt in well under a second
        registry.add("crm.mongodb-uri", () -> "mongodb://127.0.0.1:" + MONGO_PORT
                + "/crm?serverSelectionTimeoutMS=500&connectTimeoutMS=500&socketTimeoutMS=2000");
        registry.add("crm.consumer-name", () -> "failure-it");
        registry.add("crm.retry.delay", () -> "50");
        registry.add("crm.retry.max-delay", () -> "200");
        registry.add("crm.retry.attempts", () -> "1");
        registry.add("crm.streams.min-idle-time", () -> "1s");
        registry.add("crm.streams.reclaim-interval", () -> "500ms");
        registry.add("crm.streams.max-deliveries", () -> "50");
        registry.add("crm.streams.block-time", () -> "200ms");
        registry.add("crm.dead-letter.stream", () -> BROKEN_DLQ);
        registry.add("crm.collections.roles", () -> "crmroles");
    }

    @AfterAll
    static void stop() {
        mongoServer.close();
        REDIS.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void cleanDeadLetters() {
        REDIS_CLIENT.del(BROKEN_DLQ);
    }

    /** Runs with MongoDB stopped; it is always back afterwards, whatever the assertions did. */
    private static void whileMongoIsDown(ThrowingRunnable down, ThrowingRunnable back) throws Exception {
        mongoServer.close();
        try {
            down.run();
        } finally {
            mongoServer = EmbeddedMongo.start(MONGO_PORT);
        }
        back.run();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static boolean pending(String stream, String group, String id) {
        return !REDIS_CLIENT.xpending(stream, group, Range.create(id, id), io.lettuce.core.Limit.from(1)).isEmpty();
    }

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }

    @Test
    void whileMongoIsDownEntriesStayPendingAndReadinessIsDownThenBothRecover() throws Exception {
        String stream = "crm:sync:user:user_created";
        String[] id = new String[1];
        whileMongoIsDown(() -> {
            id[0] = REDIS_CLIENT.xadd(stream, Map.of("eventType", "user_created", "tenantId", "t1", "entityId", "u-down",
                    "data", "{\"email\":\"down@example.com\"}"));
            Thread.sleep(3000);
            assertThat(pending(stream, "crm-consumers", id[0])).isTrue();
            assertThat(deadLettersOf(id[0])).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
        }, () -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "u-down") != null);
            assertThat(find("users", "u-down").getString("email")).isEqualTo("down@example.com");
            await().atMost(Duration.ofSeconds(10)).until(() -> !pending(stream, "crm-consumers", id[0]));
        });
    }

    @Test
    void entryWhoseDeadLetterWriteFailsStaysPendingUntilTheWriteSucceeds() throws Exception {
        String stream = "crm:sync:user:user_deleted";
        REDIS_CLIENT.set(BROKEN_DLQ, "not a stream: XADD fails with WRONGTYPE");
        String id = REDIS_CLIENT.xadd(stream, Map.of("eventType", "user_deleted", "tenantId", "t1", "data", "{broken"));

        Thread.sleep(2500);
        assertThat(pending(stream, "crm-consumers", id)).isTrue();
        assertThat(REDIS_CLIENT.type(BROKEN_DLQ)).isEqualTo("string");

        REDIS_CLIENT.del(BROKEN_DLQ);
        await().atMost(Duration.ofSeconds(30)).until(() -> REDIS_CLIENT.exists(BROKEN_DLQ) == 1
                && REDIS_CLIENT.xlen(BROKEN_DLQ) >= 1);
        assertThat(REDIS_CLIENT.xrange(BROKEN_DLQ, Range.create("-", "+")).get(0).getBody())
                .containsEntry("dlq.sourceId", id).containsEntry("dlq.reason", "invalid-json").containsEntry("data", "{broken");
        await().atMost(Duration.ofSeconds(10)).until(() -> !pending(stream, "crm-consumers", id));
        REDIS_CLIENT.del(BROKEN_DLQ);
    }

    @Test
    void rejectedEntryIsDeadLetteredOnceAcrossAMongoOutage() throws Exception {
        String stream = "crm:sync:user:user_deactivated";
        String[] id = new String[1];
        whileMongoIsDown(() -> {
            id[0] = REDIS_CLIENT.xadd(stream, Map.of("eventType", "user_deactivated", "tenantId", "t1", "data", "{broken"));
            // each delivery fails at its processing record, before the dead-letter entry is written
            Thread.sleep(3500);
            assertThat(pending(stream, "crm-consumers", id[0])).isTrue();
            assertThat(deadLettersOf(id[0])).isZero();
        }, () -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> !pending(stream, "crm-consumers", id[0]));
            Thread.sleep(2500); // a duplicate would come from a later reclaim
            assertThat(deadLettersOf(id[0])).isEqualTo(1);
        });
    }

    private static long deadLettersOf(String sourceId) {
        if (REDIS_CLIENT.exists(BROKEN_DLQ) == 0 || !"stream".equals(REDIS_CLIENT.type(BROKEN_DLQ))) {
            return 0;
        }
        return REDIS_CLIENT.xrange(BROKEN_DLQ, Range.create("-", "+")).stream()
                .filter(m -> sourceId.equals(m.getBody().get("dlq.sourceId"))).count();
    }

    @Test
    void collectionNamesAreMappedByConfiguration() {
        String stream = "crm:sync:role:role_created";
        REDIS_CLIENT.xadd(stream, Map.of("eventType", "role.created", "tenantId", "t1", "entityId", "r-mapped",
                "data", "{\"roleName\":\"Mapped\"}"));

        await().atMost(Duration.ofSeconds(20)).until(() -> find("crmroles", "r-mapped") != null);
        assertThat(find("roles", "r-mapped")).isNull();
    }
}
