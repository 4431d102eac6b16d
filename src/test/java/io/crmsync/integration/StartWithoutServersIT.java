package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.crmsync.CrmSyncApplication;
import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedPostgres;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The app started while one of its servers is away (a pod restarted during an outage) starts anyway, says in readiness
 * what it waits for, and begins work once the server answers on the port it was configured with, without a restart.
 * Each test starts its own app, so the server is away from the very start.
 */
class StartWithoutServersIT {

    private static final Logger LOG = LoggerFactory.getLogger(StartWithoutServersIT.class);
    // the bound: from the server answering to the first event applied
    private static final Duration WORK_BEGINS = Duration.ofSeconds(30);
    private static final String USERS_STREAM = "crm:sync:user:user_created";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private int port;
    private String cdcDatabaseUrl;

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void startedWithoutMongoDbItWaitsForItAndAppliesEventsOnceItAnswers() throws Exception {
        EmbeddedRedis redis = keep(EmbeddedRedis.start());
        int mongoPort = EmbeddedRedis.freePort();
        LOG.info("Expect MongoDB connection failures below: the app starts while nothing listens on port {}", mongoPort);
        start(redis.url(), "mongodb://127.0.0.1:" + mongoPort + "/crm", null);

        assertReadinessWaitsFor("mongodb at 127.0.0.1:" + mongoPort);
        String userId = publishUser(redis.url());

        EmbeddedMongo mongo = keep(EmbeddedMongo.start(mongoPort));
        try (MongoClient client = MongoClients.create(mongo.uri("crm"))) {
            await().atMost(WORK_BEGINS).until(() -> client.getDatabase("crm").getCollection("users")
                    .find(Filters.eq("_id", userId)).first(), java.util.Objects::nonNull);
        }
        awaitReadinessUp();
    }

    @Test
    void startedWithoutRedisItWaitsForItAndConsumesOnceItAnswers() throws Exception {
        EmbeddedMongo mongo = keep(EmbeddedMongo.start());
        int redisPort = EmbeddedRedis.freePort();
        LOG.info("Expect Redis connection failures below: the app starts while nothing listens on port {}", redisPort);
        start("redis://127.0.0.1:" + redisPort, mongo.uri("crm"), null);

        assertReadinessWaitsFor("redis at redis://127.0.0.1:" + redisPort);

        EmbeddedRedis redis = keep(EmbeddedRedis.start(redisPort));
        String userId = publishUser(redis.url());
        try (MongoClient client = MongoClients.create(mongo.uri("crm"))) {
            await().atMost(WORK_BEGINS).until(() -> client.getDatabase("crm").getCollection("users")
                    .find(Filters.eq("_id", userId)).first(), java.util.Objects::nonNull);
        }
        awaitReadinessUp();
    }

    @Test
    void startedWithoutTheLeadsDatabaseItWaitsForItAndWritesRowsOnceItAnswers() throws Exception {
        EmbeddedRedis redis = keep(EmbeddedRedis.start());
        EmbeddedMongo mongo = keep(EmbeddedMongo.start());
        int postgresPort = EmbeddedRedis.freePort();
        LOG.info("Expect PostgreSQL connection failures below: the app starts while nothing listens on port {}",
                postgresPort);
        start(redis.url(), mongo.uri("crm"), "postgresql://postgres@127.0.0.1:" + postgresPort + "/"
                + LeadsDatabase.DATABASE);

        assertReadinessWaitsFor("postgresql at 127.0.0.1:" + postgresPort + "/" + LeadsDatabase.DATABASE);

        EmbeddedPostgres postgres = keep(EmbeddedPostgres.start(postgresPort));
        DemoDatabases.createLeads(postgres);
        String jdbc = postgres.jdbcUrl(LeadsDatabase.DATABASE);
        long agent;
        try (Connection connection = DriverManager.getConnection(jdbc); PreparedStatement insert = connection
                .prepareStatement("insert into agents (tenant_id, firebase_uid, email) values (?, 'uid-1', 'a@x.io') returning id")) {
            insert.setString(1, tenant);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                agent = id.getLong(1);
            }
        }
        publish(redis.url(), LeadsDatabase.STREAM, "agent.lead_sources.updated", "uid-1",
                "{\"agentUid\": \"uid-1\", \"email\": \"a@x.io\", \"leadSources\": [\"web\"], "
                        + "\"updatedAt\": \"2026-11-30T10:00:00.000Z\", \"updatedBy\": \"admin-uid\"}");
        await().atMost(WORK_BEGINS).until(() -> leadSources(jdbc, agent), rows -> rows.contains("web"));
        awaitReadinessUp();
    }

    @Test
    void startedWithoutTheCapturedDatabaseItWaitsForItAndCapturesItsRowsOnceItAnswers() throws Exception {
        EmbeddedRedis redis = keep(EmbeddedRedis.start());
        EmbeddedMongo mongo = keep(EmbeddedMongo.start());
        int postgresPort = EmbeddedRedis.freePort();
        LOG.info("Expect PostgreSQL connection failures below: the app starts while nothing listens on port {}",
                postgresPort);
        cdcDatabaseUrl = "postgresql://postgres@127.0.0.1:" + postgresPort + "/" + LoyaltyDatabase.DATABASE;
        start(redis.url(), mongo.uri("crm"), null);

        assertReadinessWaitsFor("postgresql-cdc at 127.0.0.1:" + postgresPort + "/" + LoyaltyDatabase.DATABASE);

        EmbeddedPostgres postgres = keep(EmbeddedPostgres.start(postgresPort));
        DemoDatabases.createLoyalty(postgres);
        String id = UUID.randomUUID().toString();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(LoyaltyDatabase.DATABASE))) {
            connection.createStatement().execute("insert into purchase_ledger (id, tenant_id, user_id, merchant_id, "
                    + "final_amount, status, earn_currency, created_at) values ('" + id + "', '" + tenant
                    + "', 'u-1', 'm-1', 12.50, 'completed', true, now())");
        }
        try (MongoClient client = MongoClients.create(mongo.uri("crm"))) {
            await().atMost(WORK_BEGINS).until(() -> client.getDatabase("crm").getCollection("purchases")
                    .find(Filters.eq("_id", id)).first(), java.util.Objects::nonNull);
        }
        awaitReadinessUp();
    }

    private void start(String redisUrl, String mongoUri, String leadsUrl) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("crm.redis-url", redisUrl);
        properties.put("crm.mongodb-uri", mongoUri);
        properties.put("crm.postgres.url", leadsUrl == null ? "" : leadsUrl);
        properties.put("crm.cdc.database-url", cdcDatabaseUrl == null ? "" : cdcDatabaseUrl);
        // a lock directory of its own, and the ITs' short CDC timings (SyncITSupport)
        properties.put("crm.cdc.cluster-root", java.nio.file.Files.createTempDirectory("crm-sync-cluster-").toString());
        // its own connector name: a connector of another app in this JVM holds the default one's JMX metrics, and a
        // second one under that name waits up to a minute for them
        properties.put("crm.cdc.topic-prefix", "crm-startup-it");
        properties.put("crm.cdc.inactive-grace", "5s");
        properties.put("crm.cdc.check-interval", "1s");
        properties.put("crm.cdc.offset-flush-interval", "500");
        properties.put("crm.kafka.bootstrap-servers", "");
        properties.put("crm.consumer-name", "startup-it");
        properties.put("crm.streams.block-time", "500ms");
        properties.put("crm.tenants.refresh-interval", "1s");
        // the routes are the shipped ones; no file watcher for a test that never changes them
        properties.put("crm.routes.watch.enabled", "false");
        // as arguments: they then win over application.yaml, as the environment variables do in a deployment
        ConfigurableApplicationContext app = new SpringApplicationBuilder(CrmSyncApplication.class)
                .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        resources.add(app);
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    /** Readiness DOWN (503) names the server, while liveness stays UP: Kubernetes does not restart the pod. */
    private void assertReadinessWaitsFor(String server) throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"waitingFor\":[\"" + server + "\"]");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    private void awaitReadinessUp() {
        await().atMost(WORK_BEGINS).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String publishUser(String redisUrl) {
        String userId = "u-" + UUID.randomUUID().toString().substring(0, 8);
        publish(redisUrl, USERS_STREAM, "user_created", userId, "{\"userId\": \"" + userId
                + "\", \"email\": \"" + userId + "@example.com\", \"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}");
        return userId;
    }

    private void publish(String redisUrl, String stream, String eventType, String entityId, String data) {
        RedisClient client = RedisClient.create(redisUrl);
        try (var connection = client.connect()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("streamId", stream);
            fields.put("timestamp", "2026-11-30T10:00:00.000Z");
            fields.put("sourceApp", "wrapper");
            fields.put("eventType", eventType);
            fields.put("entityType", eventType.split("[._]")[0]);
            fields.put("entityId", entityId);
            fields.put("tenantId", tenant);
            fields.put("action", eventType);
            fields.put("data", data);
            fields.put("metadata", "{\"source\":\"it\"}");
            connection.sync().xadd(stream, fields);
        } finally {
            client.shutdown();
        }
    }

    private List<String> leadSources(String jdbc, long agent) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbc); PreparedStatement select = connection
                .prepareStatement("select lead_source from agent_lead_sources where agent_id = ?")) {
            select.setLong(1, agent);
            List<String> sources = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sources.add(rows.getString(1));
                }
            }
            return sources;
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }
}
