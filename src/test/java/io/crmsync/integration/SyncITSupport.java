package io.crmsync.integration;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedPostgres;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole app against a real redis-server and a MongoDB wire-protocol server, shared by the app ITs (one Spring
 * context for all of them). Each test works in its own tenant, so tests never see each other's documents.
 */
// the JDK's HTTP client for TestRestTemplate: Jetty's, on the class path through a dependency, aborts a POST that gets
// a 401 while its body is still being sent, and then fails with "Self-suppression not permitted" (seen in CI)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.http.client.factory=jdk")
// tests disable metrics export by default; /actuator/prometheus is part of what users look at
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
// the CDC watches check fast, so failover tests take seconds; a subclass's own @TestPropertySource can override them.
// The parking lot re-drives only when a test calls it: its timer would take dead letters a test is about to replay
@org.springframework.test.context.TestPropertySource(properties = {"crm.cdc.inactive-grace=5s",
        "crm.cdc.check-interval=1s", "crm.kafka.check-interval=1s", "crm.parking-lot.interval=1h"})
abstract class SyncITSupport {

    static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    static final EmbeddedMongo MONGO = EmbeddedMongo.start();
    // the leads team's database (docs/contract.md section 8), its tables made before the app checks them
    static final EmbeddedKafka KAFKA = EmbeddedKafka.start(EmbeddedKafka.cdcTopics().toArray(String[]::new));
    static final EmbeddedPostgres POSTGRES = LoyaltyDatabase.create(LeadsDatabase.create(EmbeddedPostgres.start()));
    static final RedisCommands<String, String> PUBLISHER = RedisClient.create(REDIS.url()).connect().sync();
    static final Duration PROCESSING = Duration.ofSeconds(20);
    static final String ADMIN_TOKEN = "it-admin-token";

    @Autowired
    MongoClient mongo;
    // the app's HTTP port: actuator endpoints and ops actions
    @Autowired
    TestRestTemplate http;

    String tenant;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("crm.redis-url", REDIS::url);
        registry.add("crm.mongodb-uri", () -> MONGO.uri("crm"));
        registry.add("crm.postgres.url", () -> POSTGRES.url(LeadsDatabase.DATABASE));
        // the loyalty team's database, captured by the embedded Debezium source; a lock directory of its own
        // a class may capture a database of its own, with a lock directory of its own (it.cdc.* in its properties)
        registry.add("crm.cdc.database-url", () -> POSTGRES.url("${it.cdc.database:" + LoyaltyDatabase.DATABASE + "}"));
        registry.add("crm.cdc.cluster-root", () -> "${it.cdc.cluster-root:" + LoyaltyDatabase.clusterRoot() + "}");
        registry.add("crm.cdc.offset-flush-interval", () -> "500");
        registry.add("crm.kafka.bootstrap-servers", KAFKA::bootstrapServers);
        registry.add("crm.consumer-name", () -> "it-consumer");
        registry.add("crm.retry.delay", () -> "50");
        registry.add("crm.retry.max-delay", () -> "400");
        registry.add("crm.retry.attempts", () -> "2");
        registry.add("crm.retry.enrichment-attempts", () -> "10");
        registry.add("crm.tenants.refresh-interval", () -> "1s");
        registry.add("crm.console.history-interval", () -> "1s");
        registry.add("crm.ops.admin-token", () -> ADMIN_TOKEN);
        registry.add("crm.streams.block-time", () -> "500ms");
        // short, so the delivery-cap test need not wait a minute; in-flight entries are never reclaimed from under us
        registry.add("crm.streams.min-idle-time", () -> "2s");
        registry.add("crm.streams.reclaim-interval", () -> "1s");
    }

    /** An actuator write operation: its parameters as a JSON body, with a bearer token when given. */
    ResponseEntity<String> post(String path, String json, String token) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            headers.setBearerAuth(token);
        }
        return http.exchange(path, HttpMethod.POST, new HttpEntity<>(json, headers), String.class);
    }

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String publish(String stream, Map<String, String> fields) {
        return PUBLISHER.xadd(stream, fields);
    }

    /** A flat-shape event (seed guide "Standard Message Format"). */
    String publishFlat(String stream, String eventType, String entityId, String timestamp, String dataJson) {
        return publish(stream, fields("streamId", stream, "timestamp", timestamp, "sourceApp", "wrapper",
                "eventType", eventType, "entityType", eventType.split("[._]")[0], "entityId", entityId,
                "tenantId", tenant, "action", eventType, "data", dataJson, "metadata", "{\"source\":\"it\"}"));
    }

    MongoCollection<Document> collection(String name) {
        return mongo.getDatabase("crm").getCollection(name);
    }

    Document awaitDocument(String collection, String id) {
        return await().atMost(PROCESSING).until(() -> collection(collection).find(Filters.eq("_id", id)).first(),
                java.util.Objects::nonNull);
    }

    Document awaitRecord(String stream, String entryId) {
        return awaitDocument("eventProcessingRecords", stream + "/" + entryId);
    }

    Document document(String collection, String id) {
        return collection(collection).find(Filters.eq("_id", id)).first();
    }

    /** The dead-letter entry made of a given source entry, waiting for it. */
    Map<String, String> awaitDeadLetter(String sourceStream, String sourceId) {
        return await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .filter(m -> sourceId.equals(m.getBody().get("dlq.sourceId")) && sourceStream.equals(m.getBody().get("dlq.sourceStream")))
                .map(StreamMessage::getBody).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    static List<StreamMessage<String, String>> deadLetters() {
        return PUBLISHER.xrange("crm:dlq", Range.create("-", "+"));
    }
}
