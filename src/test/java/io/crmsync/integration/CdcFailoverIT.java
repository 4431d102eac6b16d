package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.crmsync.bench.AppProcess;
import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedPostgres;
import io.crmsync.embedded.EmbeddedRedis;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two instances of the built jar share one replication slot: one reads it, the other stands by. Killing the reader
 * with SIGKILL hands the slot to the standby, which resumes from the stored position: nothing lost, nothing counted
 * twice.
 */
class CdcFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(CdcFailoverIT.class);
    private static EmbeddedRedis redis;
    private static EmbeddedMongo mongo;
    private static EmbeddedPostgres postgres;
    private static Path lockDirectory;

    @BeforeAll
    static void servers() throws Exception {
        redis = EmbeddedRedis.start();
        mongo = EmbeddedMongo.start();
        postgres = EmbeddedPostgres.start();
        DemoDatabases.createLoyalty(postgres);
        lockDirectory = Files.createTempDirectory("crm-sync-failover-");
    }

    @AfterAll
    static void stop() {
        postgres.close();
        mongo.close();
        redis.close();
    }

    @Test
    void the_standby_takes_the_slot_when_the_reader_is_killed_and_no_movement_is_lost_or_doubled() throws Exception {
        AppProcess first = app("cdc-a");
        try (AppProcess second = app("cdc-b")) {
            assertThat(first.awaitReady(Duration.ofSeconds(90))).as("first instance ready").isTrue();
            assertThat(second.awaitReady(Duration.ofSeconds(90))).as("second instance ready").isTrue();
            insertMovements(0, 50);
            awaitLedgerEntries(50);

            LOG.info("Expect the reading instance to die now (SIGKILL), and the standby to take the slot");
            AppProcess reader = await().atMost(Duration.ofSeconds(30)).until(
                    () -> reading(first) ? first : reading(second) ? second : null, java.util.Objects::nonNull);
            reader.kill();
            long killedAt = System.nanoTime();
            insertMovements(50, 100);

            awaitLedgerEntries(100);
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(30));
            try (MongoClient client = MongoClients.create(mongo.uri("crm"))) {
                Document balance = client.getDatabase("crm").getCollection("creditBalances")
                        .find(Filters.eq("entityId", "wallet-f")).first();
                // 100 movements of 1.01 each
                assertThat(balance.get("balance")).isEqualTo(new Decimal128(new BigDecimal("101.00")));
            }
        } finally {
            first.close();
        }
    }

    private static AppProcess app(String name) {
        return new AppProcess(Path.of("").toAbsolutePath(), name, "384m", redis.url(), mongo.uri("crm"),
                List.of("-Dcrm.cdc.inactive-grace=15s", "-Dcrm.cdc.check-interval=1s", "-Dcrm.cdc.offset-flush-interval=500"),
                Map.of("CDC_DATABASE_URL", postgres.url(DemoDatabases.LOYALTY), "CRM_CDC_CLUSTER_ROOT",
                        lockDirectory.toString()));
    }

    private static void insertMovements(int from, int to) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY));
                Statement statement = connection.createStatement()) {
            for (int i = from; i < to; i++) {
                statement.execute("insert into wallet_ledger values ('" + UUID.randomUUID() + "', 'acme', 'wallet-f', "
                        + "'u-" + i + "', 1.01, 'earn', now())");
            }
        }
    }

    private static void awaitLedgerEntries(long count) {
        try (MongoClient client = MongoClients.create(mongo.uri("crm"))) {
            MongoDatabase database = client.getDatabase("crm");
            // folded ones: an entry is recorded first and added to its balance next
            await().atMost(Duration.ofSeconds(60)).until(() -> database.getCollection("creditLedger")
                    .countDocuments(Filters.and(Filters.eq("entityId", "wallet-f"), Filters.eq("folded", true))) == count);
        }
    }

    /** Whether this instance holds the cluster lock and reads the slot, as its health details say. */
    private static boolean reading(AppProcess app) {
        return app.get("/actuator/health").contains("\"reading\":true");
    }
}
