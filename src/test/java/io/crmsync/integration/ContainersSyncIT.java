package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ValidationOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The app against real MongoDB and Redis images, for machines with a Docker engine. Skipped where there is none
 * (the rest of the suite covers the same behaviour on redis-server and mongo-java-server).
 * <p>
 * The database is a CRM's that had indexes and a validator before crm-sync: its own index on the keys of a lookup
 * and of the tenants' poll (85), crm-sync's index name taken by other keys (86), a validator on {@code users}. The
 * app must start and sync all the same, and dead-letter only what the server refuses.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ContainersSyncIT {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer(ContainerImages.MONGO);
    @Container
    static final GenericContainer<?> REDIS = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);

    private static RedisClient redisClient;

    @Autowired
    MongoClient mongo;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        theCrmsOwnIndexesAndValidator();
        registry.add("crm.redis-url", () -> "redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379));
        registry.add("crm.mongodb-uri", () -> MONGO.getReplicaSetUrl("crm"));
    }

    /** Made before the app starts, as a CRM's DBA would have. */
    private static void theCrmsOwnIndexesAndValidator() {
        try (MongoClient dba = MongoClients.create(MONGO.getReplicaSetUrl("crm"))) {
            MongoDatabase crm = dba.getDatabase("crm");
            if (crm.listCollectionNames().into(new ArrayList<>()).contains("users")) {
                return; // a second context of this class
            }
            crm.getCollection("organizations").createIndex(Indexes.ascending("tenantId", "orgCode"),
                    new IndexOptions().name("org_code_unique").unique(true));
            crm.getCollection("tenants").createIndex(Indexes.ascending("status"), new IndexOptions().name("status_by_dba"));
            crm.getCollection("eventProcessingRecords").createIndex(Indexes.ascending("eventId"),
                    new IndexOptions().name("crm_sync_records_by_entity"));
            crm.createCollection("users", new CreateCollectionOptions().validationOptions(new ValidationOptions()
                    .validator(Filters.or(Filters.exists("email", false), Filters.regex("email", "@")))));
        }
    }

    private static RedisCommands<String, String> redis() {
        if (redisClient == null) {
            redisClient = RedisClient.create("redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379));
        }
        return redisClient.connect().sync();
    }

    @AfterAll
    static void closeRedis() {
        if (redisClient != null) {
            redisClient.shutdown();
        }
    }

    @Test
    void userCreatedThenOlderCreditEventsLandOnRealMongo() {
        var redis = redis();
        redis.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "tenantId", "t1",
                "entityId", "u1", "timestamp", "2024-01-15T10:00:00Z", "data", "{\"email\":\"real@example.com\"}"));
        redis.xadd("credit-events", Map.of("eventType", "credit.allocated", "tenantId", "t1", "userId", "u1",
                "amount", "12.5", "eventId", "c1"));
        redis.xadd("credit-events", Map.of("eventType", "credit.allocated", "tenantId", "t1", "userId", "u1",
                "amount", "12.5", "eventId", "c1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "u1") != null && find("creditBalances", "t1:u1") != null);
        assertThat(find("users", "u1").getString("email")).isEqualTo("real@example.com");
        await().atMost(Duration.ofSeconds(10)).until(() -> find("creditBalances", "t1:u1").get("balance").toString().equals("12.5"));
    }

    /** The CRM's unique {tenantId, orgCode} serves the lookup; crm-sync neither fails on it nor adds a second one. */
    @Test
    void indexesTheCrmAlreadyHasAreUsedAndTheLookupWorks() {
        var redis = redis();
        redis.xadd("crm:sync:organization:org_created", Map.of("eventType", "org_created", "tenantId", "t1",
                "entityId", "org-1", "timestamp", "2026-03-01T00:00:00Z",
                "data", "{\"organizationId\":\"org-1\",\"orgCode\":\"HQ\",\"name\":\"Head office\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> find("organizations", "org-1") != null);
        redis.xadd("crm:organization-assignments", Map.of("event", "{\"eventId\":\"evt-a1\",\"eventType\":"
                + "\"organization.assignment.created\",\"timestamp\":\"2026-03-02T00:00:00Z\",\"tenantId\":\"t1\","
                + "\"data\":{\"assignmentId\":\"asg-1\",\"userId\":\"u-1\",\"organizationCode\":\"HQ\"}}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> find("organizationAssignments", "asg-1") != null);
        assertThat(find("organizationAssignments", "asg-1").getString("organizationId")).isEqualTo("org-1");
        assertThat(indexNames("organizations")).containsExactlyInAnyOrder("_id_", "org_code_unique");
        assertThat(indexNames("tenants")).containsExactlyInAnyOrder("_id_", "status_by_dba");
    }

    /** 250 levels: the server would refuse it (and its whole batch); it is dead-lettered, and the others are written. */
    @Test
    void aPayloadNestedTwoHundredFiftyLevelsIsDeadLetteredAndTheOthersAreWritten() {
        var redis = redis();
        String deep = "{\"a\":".repeat(249) + "{\"a\":1}" + "}".repeat(249);
        String deepId = redis.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "tenantId", "t1",
                "entityId", "u-deep", "data", "{\"email\":\"deep@acme.test\",\"profile\":" + deep + "}"));
        redis.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "tenantId", "t1",
                "entityId", "u-shallow", "data", "{\"email\":\"shallow@acme.test\"}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "u-shallow") != null);
        assertThat(awaitDeadLetter(deepId)).containsEntry("dlq.reason", "too-deep");
        assertThat(find("users", "u-deep")).isNull();
    }

    /** The validator refuses one user's document (121): that event alone is dead-lettered as write-rejected. */
    @Test
    void aDocumentTheValidatorRefusesIsDeadLetteredAsWriteRejectedAndTheOthersAreWritten() {
        var redis = redis();
        String badId = redis.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "tenantId", "t1",
                "entityId", "u-invalid", "data", "{\"email\":\"not an address\"}"));
        redis.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "tenantId", "t1",
                "entityId", "u-valid", "data", "{\"email\":\"valid@acme.test\"}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "u-valid") != null);
        Map<String, String> dead = awaitDeadLetter(badId);
        assertThat(dead).containsEntry("dlq.reason", "write-rejected");
        assertThat(dead.get("dlq.error")).contains("Document failed validation");
        assertThat(find("users", "u-invalid")).isNull();
    }

    private Map<String, String> awaitDeadLetter(String sourceId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> redis().xrange("crm:dlq", io.lettuce.core.Range.create("-", "+"))
                .stream().map(StreamMessage::getBody).filter(body -> sourceId.equals(body.get("dlq.sourceId")))
                .findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private List<String> indexNames(String collection) {
        return mongo.getDatabase("crm").getCollection(collection).listIndexes().map(index -> index.getString("name"))
                .into(new ArrayList<>());
    }

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }
}
