package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.lettuce.core.RedisClient;
import org.bson.Document;
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
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ContainersSyncIT {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");
    @Container
    static final GenericContainer<?> REDIS = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);

    @Autowired
    MongoClient mongo;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("crm.redis-url", () -> "redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379));
        registry.add("crm.mongodb-uri", () -> MONGO.getReplicaSetUrl("crm"));
    }

    @Test
    void userCreatedThenOlderCreditEventsLandOnRealMongo() {
        var redis = RedisClient.create("redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379)).connect().sync();
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

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }
}
