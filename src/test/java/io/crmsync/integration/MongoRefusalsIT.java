package io.crmsync.integration;

import static io.crmsync.embedded.RefusingMongo.commandFailed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.crmsync.config.CrmSyncProperties;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import io.crmsync.embedded.RefusingMongo;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.IndexSetup;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole app on a MongoDB that refuses as a real 6-8 server does where the stand-in never would: every index build
 * (13, no privilege), a batch holding one document nested too deep (15), a write its majority did not acknowledge
 * (a writeConcernError). What a user sees: the app starts and logs each index to create once; only the culprit is
 * dead-lettered, as write-rejected; an unacknowledged write stays pending with readiness DOWN, then applies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MongoRefusalsIT {

    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final EmbeddedMongo MONGO = EmbeddedMongo.start();
    private static final RedisCommands<String, String> REDIS_CLIENT = RedisClient.create(REDIS.url()).connect().sync();
    private static final String USERS = "crm:sync:user:user_created";
    private static final RefusingMongo REFUSING = new RefusingMongo().asMongod()
            .refuse(call -> call.method().equals("createIndex"), commandFailed(13, "Unauthorized",
                    "not authorized on crm to execute command { createIndexes: ... }"));
    private static final ListAppender<ILoggingEvent> INDEX_LOGS = new ListAppender<>();
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(MongoRefusalsIT.class);

    @Autowired
    MongoClient mongo;
    @Autowired
    TestRestTemplate http;

    /** The app's collections, seen through the refusing wrapper. */
    @TestConfiguration
    static class Refusing {

        @Bean
        @Primary
        Collections refusingCollections(MongoClient client, CrmSyncProperties properties) {
            // here, as the index builds are tried once the writer is made from these collections: Boot's logging set-up,
            // earlier in the start, would drop an appender attached before it
            INDEX_LOGS.start();
            ((Logger) LoggerFactory.getLogger(IndexSetup.class)).addAppender(INDEX_LOGS);
            return new Collections(REFUSING.wrap(client.getDatabase(properties.databaseName())), properties.collections(),
                    properties.mongo().options());
        }
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("crm.redis-url", REDIS::url);
        registry.add("crm.mongodb-uri", () -> MONGO.uri("crm"));
        registry.add("crm.consumer-name", () -> "refusals-it");
        registry.add("crm.retry.delay", () -> "50");
        registry.add("crm.retry.max-delay", () -> "200");
        registry.add("crm.retry.attempts", () -> "1");
        registry.add("crm.streams.min-idle-time", () -> "1s");
        registry.add("crm.streams.reclaim-interval", () -> "500ms");
        registry.add("crm.streams.max-deliveries", () -> "50");
        registry.add("crm.streams.block-time", () -> "200ms");
    }

    @AfterEach
    void keepOnlyTheIndexRefusal() {
        REFUSING.clear();
        REFUSING.refuse(call -> call.method().equals("createIndex"), commandFailed(13, "Unauthorized",
                "not authorized on crm to execute command { createIndexes: ... }"));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(IndexSetup.class)).detachAppender(INDEX_LOGS);
        MONGO.close();
        REDIS.close();
    }

    @Test
    void indexBuildsRefusedAtStartUpAreLoggedOnceEachWithTheCommandAndTheAppRuns() {
        String id = publishUser("u-started", "{\"email\":\"started@acme.test\"}");
        awaitRecord(id);

        List<String> warnings = INDEX_LOGS.list.stream().filter(line -> line.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).filteredOn(line -> line.contains("crm_sync_tenants_status")).singleElement()
                .satisfies(line -> assertThat(line).contains("13 Unauthorized")
                        .contains("db.getCollection(\"tenants\").createIndex({\"status\": 1}, {\"name\": \"crm_sync_tenants_status\"})"));
        assertThat(warnings).filteredOn(line -> line.contains("crm_sync_records_by_entity")).hasSize(1);
    }

    /**
     * The mappings' indexes are built at start-up too: a lookup's (organizations by orgCode) and a ledger's are refused
     * and logged before any event that needs them, and once only, however many such events follow.
     */
    @Test
    void theMappingsIndexesAreRefusedAtStartUpBeforeAnyEventAndTheirEventsStillApply() {
        LOG.info("Expect index refusals (13 Unauthorized) next: the mappings' indexes are built at start-up and refused");
        String lookupByHand = "db.getCollection(\"organizations\").createIndex({\"tenantId\": 1, \"orgCode\": 1}, "
                + "{\"name\": \"crm_sync_lookup_orgCode\"})";
        String ledgerByHand = "db.getCollection(\"creditLedger\").createIndex({\"tenantId\": 1, \"entityId\": 1}, "
                + "{\"name\": \"crm_sync_ledger_by_entity\"})";
        // nothing published yet that looks an organization up by its code or moves a credit
        List<ILoggingEvent> refused = await().atMost(Duration.ofSeconds(20)).until(() -> refusals(lookupByHand, ledgerByHand),
                lines -> lines.size() == 2);
        long loggedBy = refused.stream().mapToLong(ILoggingEvent::getTimeStamp).max().orElseThrow();
        Document firstRecord = mongo.getDatabase("crm").getCollection("eventProcessingRecords").find()
                .sort(new Document("processedAt", 1)).first();
        if (firstRecord != null) {
            assertThat(firstRecord.getDate("processedAt").getTime()).isGreaterThanOrEqualTo(loggedBy);
        }

        String organization = REDIS_CLIENT.xadd("crm:sync:organization:org_created", Map.of("eventType", "org_created",
                "tenantId", "t1", "entityId", "o-idx", "data", "{\"organizationId\":\"o-idx\",\"orgCode\":\"C-IDX\"}"));
        awaitRecord("crm:sync:organization:org_created", organization);
        String assignment = REDIS_CLIENT.xadd("crm:organization-assignments", Map.of("event", "{\"eventId\":\"a-idx-1\","
                + "\"eventType\":\"organization.assignment.created\",\"source\":\"wrapper\",\"version\":\"1.0\","
                + "\"timestamp\":\"2024-01-15T10:00:00Z\",\"tenantId\":\"t1\",\"data\":{\"assignmentId\":\"a-idx\","
                + "\"userId\":\"u1\",\"organizationCode\":\"C-IDX\"}}"));
        String credit = REDIS_CLIENT.xadd("crm:sync:credits:credit_allocated", Map.of("eventType", "credit_allocated",
                "tenantId", "t1", "entityId", "u-idx", "data", "{\"userId\":\"u-idx\",\"amount\":5}"));

        assertThat(awaitRecord("crm:organization-assignments", assignment).getString("status")).isEqualTo("processed");
        assertThat(awaitRecord("crm:sync:credits:credit_allocated", credit).getString("status")).isEqualTo("processed");
        assertThat(find("organizationAssignments", "a-idx").getString("organizationId")).isEqualTo("o-idx");
        assertThat(refusals(lookupByHand, ledgerByHand)).hasSize(2);
    }

    /** The WARN lines naming any of these commands. */
    private static List<ILoggingEvent> refusals(String... byHand) {
        return INDEX_LOGS.list.stream().filter(line -> line.getLevel() == Level.WARN)
                .filter(line -> java.util.Arrays.stream(byHand).anyMatch(line.getFormattedMessage()::contains))
                .filter(line -> line.getFormattedMessage().contains("13 Unauthorized")).toList();
    }

    @Test
    void aBatchRefusedForOneDocumentDeadLettersOnlyThatEventAsWriteRejected() {
        REFUSING.refuse(call -> call.method().equals("bulkWrite") && call.collection().equals("users")
                && call.mentions("u-culprit"), commandFailed(15,
                "Overflow", "BSONObj exceeds maximum nested object depth: 200"));
        String culprit = publishUser("u-culprit", "{\"email\":\"culprit@acme.test\"}");
        List<String> others = List.of(publishUser("u-fine-1", "{\"email\":\"1@acme.test\"}"),
                publishUser("u-fine-2", "{\"email\":\"2@acme.test\"}"));

        Map<String, String> dead = awaitDeadLetter(culprit);
        assertThat(dead).containsEntry("dlq.reason", "write-rejected");
        assertThat(dead.get("dlq.error")).contains("code 15");
        others.forEach(this::awaitRecord);
        assertThat(find("users", "u-fine-1")).isNotNull();
        assertThat(find("users", "u-fine-2")).isNotNull();
        assertThat(find("users", "u-culprit")).isNull();
        assertThat(awaitRecord(culprit).getString("status")).isEqualTo("deadlettered");
    }

    @Test
    void aWriteNotAcknowledgedStaysPendingWithReadinessDownThenApplies() throws Exception {
        // a replica set without its majority: the primary applies every write, and no majority acknowledges any
        REFUSING.unacknowledged(call -> call.method().equals("bulkWrite"));
        String id = publishUser("u-unacked", "{\"email\":\"unacked@acme.test\"}");

        // applied by the primary, acknowledged by no majority: pending, not dead-lettered, readiness DOWN naming it
        await().atMost(Duration.ofSeconds(20)).until(() -> find("users", "u-unacked") != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> http.getForEntity("/actuator/health/readiness", String.class)
                .getStatusCode().value() == 503);
        assertThat(http.getForEntity("/actuator/health", String.class).getBody()).contains("not acknowledged by a majority");
        Thread.sleep(2000);
        assertThat(pending(id)).isTrue();
        assertThat(deadLetter(id)).isNull();

        REFUSING.clear();

        await().atMost(Duration.ofSeconds(30)).until(() -> !pending(id));
        assertThat(awaitRecord(id).getString("status")).isEqualTo("processed");
        assertThat(deadLetter(id)).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.getForEntity("/actuator/health/readiness", String.class)
                .getStatusCode().value() == 200);
    }

    private static String publishUser(String userId, String data) {
        return REDIS_CLIENT.xadd(USERS, Map.of("eventType", "user_created", "tenantId", "t1", "entityId", userId,
                "data", data));
    }

    private static boolean pending(String id) {
        return !REDIS_CLIENT.xpending(USERS, "crm-consumers", Range.create(id, id), io.lettuce.core.Limit.from(1)).isEmpty();
    }

    private static Map<String, String> deadLetter(String id) {
        return REDIS_CLIENT.xrange("crm:dlq", Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(body -> id.equals(body.get("dlq.sourceId"))).findFirst().orElse(null);
    }

    private static Map<String, String> awaitDeadLetter(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> deadLetter(id), java.util.Objects::nonNull);
    }

    private Document awaitRecord(String id) {
        return awaitRecord(USERS, id);
    }

    private Document awaitRecord(String stream, String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> find("eventProcessingRecords", stream + "/" + id),
                java.util.Objects::nonNull);
    }

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }
}
