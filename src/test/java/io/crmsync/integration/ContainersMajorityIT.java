package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A replica set that loses its majority while its primary stays up: primary, secondary and arbiter, then the
 * secondary paused. The primary still takes writes (with the arbiter it keeps its election), but none is acknowledged
 * by a majority. The writes must end at {@code crm.mongo.write-concern-timeout}, their entries stay pending (never
 * dead-lettered, though the primary applied them), readiness is DOWN naming it, and all applies once the secondary is
 * back. Skipped without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ContainersMajorityIT {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final GenericContainer<?> PRIMARY = mongod("mongo1");
    @Container
    static final GenericContainer<?> SECONDARY = mongod("mongo2");
    @Container
    static final GenericContainer<?> ARBITER = mongod("arbiter");
    @Container
    static final GenericContainer<?> REDIS = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);

    private static RedisClient redisClient;

    @Autowired
    MongoClient mongo;
    @Autowired
    @Qualifier("mongo")
    HealthIndicator mongoHealth;

    private static GenericContainer<?> mongod(String alias) {
        return new GenericContainer<>(ContainerImages.MONGO).withNetwork(NETWORK).withNetworkAliases(alias).withExposedPorts(27017)
                .withCommand("--replSet", "rs0", "--bind_ip_all")
                .waitingFor(Wait.forLogMessage("(?i).*waiting for connections.*", 1));
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws Exception {
        initiate();
        registry.add("crm.redis-url", () -> "redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379));
        // the members' names resolve inside the Docker network only: the app talks to the primary alone
        registry.add("crm.mongodb-uri", () -> "mongodb://" + PRIMARY.getHost() + ":" + PRIMARY.getMappedPort(27017)
                + "/crm?directConnection=true");
        registry.add("crm.mongo.write-concern-timeout", () -> "2s");
        // a pending entry is retried within seconds, not after the production minute
        registry.add("crm.streams.min-idle-time", () -> "5s");
        registry.add("crm.streams.reclaim-interval", () -> "2s");
    }

    private static void initiate() throws Exception {
        if (mongosh("db.hello().isWritablePrimary").contains("true")) {
            return; // a second context of this class
        }
        mongosh("rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'mongo1:27017', priority: 2},"
                + " {_id: 1, host: 'mongo2:27017', priority: 1}, {_id: 2, host: 'arbiter:27017', arbiterOnly: true}]})");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!mongosh("db.hello().isWritablePrimary").contains("true")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mongo1 did not become primary: " + mongosh("rs.status()"));
            }
            Thread.sleep(500);
        }
    }

    private static String mongosh(String script) throws Exception {
        return PRIMARY.execInContainer("mongosh", "--quiet", "--eval", script).getStdout();
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
    void writesNotAcknowledgedByAMajorityStayPendingWithReadinessDownAndApplyOnceItIsBack() {
        String users = "crm:sync:user:user_created";
        redis().xadd(users, Map.of("eventType", "user_created", "tenantId", "t1", "entityId", "before",
                "data", "{\"email\":\"before@acme.test\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "before") != null);

        var docker = DockerClientFactory.instance().client();
        docker.pauseContainerCmd(SECONDARY.getContainerId()).exec();
        String during;
        try {
            during = redis().xadd(users, Map.of("eventType", "user_created", "tenantId", "t1", "entityId", "during",
                    "data", "{\"email\":\"during@acme.test\"}"));

            // the primary applied it; no majority acknowledged it
            await().atMost(Duration.ofSeconds(30)).until(() -> find("users", "during") != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> mongoHealth.health().getStatus().equals(Status.DOWN));
            assertThat(mongoHealth.health().getDetails().get("writes")).asString().contains("not acknowledged");
            assertThat(redis().xpending(users, "crm-consumers").getCount()).isPositive();
            assertThat(deadLettered(during)).isFalse();
        } finally {
            docker.unpauseContainerCmd(SECONDARY.getContainerId()).exec();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> redis().xpending(users, "crm-consumers").getCount() == 0);
        assertThat(find("eventProcessingRecords", users + "/" + during).getString("status")).isEqualTo("processed");
        assertThat(mongoHealth.health().getStatus()).isEqualTo(Status.UP);
        assertThat(redis().xlen("crm:dlq")).isZero();
    }

    private boolean deadLettered(String sourceId) {
        return redis().xrange("crm:dlq", io.lettuce.core.Range.create("-", "+")).stream()
                .anyMatch(entry -> sourceId.equals(entry.getBody().get("dlq.sourceId")));
    }

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }
}
