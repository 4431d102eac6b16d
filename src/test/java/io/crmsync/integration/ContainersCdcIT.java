package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Both CDC sources against real PostgreSQL 15 and Kafka images, for machines with a Docker engine. Skipped where there
 * is none (CdcSyncIT and KafkaCdcIT cover the same behaviour on an embedded PostgreSQL and an in-process broker).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ContainersCdcIT {

    @Container
    static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>("postgres:15")
            .withDatabaseName(DemoDatabases.LOYALTY).withCommand("postgres", "-c", "wal_level=logical");
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");
    // started with the context, so nothing runs where the class is skipped
    static EmbeddedRedis redis;
    static EmbeddedMongo mongoServer;

    @Autowired
    MongoClient mongo;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws Exception {
        try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                POSTGRES.getPassword())) {
            connection.createStatement().execute(DemoDatabases.LOYALTY_DDL);
        }
        redis = EmbeddedRedis.start();
        mongoServer = EmbeddedMongo.start();
        registry.add("crm.redis-url", redis::url);
        registry.add("crm.mongodb-uri", () -> mongoServer.uri("crm"));
        String clusterRoot = Files.createTempDirectory("crm-sync-cluster-").toString();
        registry.add("crm.cdc.database-url", () -> "postgresql://" + POSTGRES.getUsername() + ":" + POSTGRES.getPassword()
                + "@" + POSTGRES.getHost() + ":" + POSTGRES.getMappedPort(5432) + "/" + DemoDatabases.LOYALTY);
        registry.add("crm.cdc.cluster-root", () -> clusterRoot);
        registry.add("crm.kafka.bootstrap-servers", KAFKA::getBootstrapServers);
    }

    @Test
    void a_row_of_a_real_postgresql_and_an_envelope_of_a_real_kafka_land_in_mongodb() throws Exception {
        String purchase = UUID.randomUUID().toString();
        try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                POSTGRES.getPassword())) {
            connection.createStatement().execute("insert into purchase_ledger (id, tenant_id, status) values ('"
                    + purchase + "', 't1', 'paid')");
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                KAFKA.getBootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("crm.public.wallet_ledger", "{\"id\":\"w1\"}", "{\"before\":null,"
                    + "\"after\":{\"id\":\"w1\",\"tenant_id\":\"t1\",\"wallet_id\":\"wallet-c\",\"amount\":\"5.50\","
                    + "\"kind\":\"earn\"},\"source\":{\"schema\":\"public\",\"table\":\"wallet_ledger\",\"lsn\":1,"
                    + "\"ts_ms\":" + System.currentTimeMillis() + "},\"op\":\"c\"}")).get();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> find("purchases", purchase) != null);
        await().atMost(Duration.ofSeconds(60)).until(() -> find("creditLedger", "wallet_ledger/w1") != null);
        assertThat(find("purchases", purchase).getString("status")).isEqualTo("paid");
        assertThat(find("creditLedger", "wallet_ledger/w1").get("amount")).isEqualTo(new Decimal128(new BigDecimal("5.50")));
    }

    private Document find(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }
}
