package io.crmsync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedPostgres;
import org.bson.Document;

/**
 * The CDC phase: a backlog of {@code rows} purchase_ledger rows captured by the embedded Debezium source into MongoDB.
 * Half the rows exist before the app starts (its first snapshot), the other half are inserted once it streams, in
 * transactions of 1,000 rows as fast as PostgreSQL takes them; each half is timed until its last document is in
 * {@code purchases}.
 */
final class CdcDrain {

    record Result(long rows, double snapshotSeconds, double streamingSeconds, double startupSeconds) {
    }

    private CdcDrain() {
    }

    static Result run(Path repo, BenchServers servers, long rows, String xmx, List<String> jvmArgs, Duration timeout)
            throws Exception {
        servers.reset();
        long half = rows / 2;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            DemoDatabases.createLoyalty(postgres);
            insert(postgres, half, half);
            MongoCollection<Document> purchases = servers.database().getCollection("purchases");
            long started = System.nanoTime();
            try (AppProcess app = new AppProcess(repo, "bench-cdc", xmx, servers.consumerRedisUrl(), servers.consumerMongoUri(), jvmArgs,
                    Map.of("CDC_DATABASE_URL", postgres.url(DemoDatabases.LOYALTY), "CRM_CDC_CLUSTER_ROOT",
                            Files.createTempDirectory("bench-cdc-cluster-").toString()))) {
                long firstSeen = awaitCount(purchases, 1, started, timeout);
                long snapshotDone = awaitCount(purchases, half, started, timeout);
                long streamStart = System.nanoTime();
                insert(postgres, rows - half, 1_000);
                long streamDone = awaitCount(purchases, rows, started, timeout);
                return new Result(rows, (snapshotDone - firstSeen) / 1e9, (streamDone - streamStart) / 1e9,
                        (firstSeen - started) / 1e9);
            }
        }
    }

    /** Inserts {@code count} rows, {@code perTransaction} at a time, with generate_series. */
    private static void insert(EmbeddedPostgres postgres, long count, long perTransaction) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY))) {
            for (long done = 0; done < count; done += perTransaction) {
                long n = Math.min(perTransaction, count - done);
                connection.createStatement().execute("insert into purchase_ledger select gen_random_uuid(), 'acme', "
                        + "'u-' || (i % 5000), 'm-' || (i % 50), (i % 10000) / 100.0, 'paid', true, now() "
                        + "from generate_series(1, " + n + ") as i");
            }
        }
    }

    private static long awaitCount(MongoCollection<Document> collection, long count, long since, Duration timeout)
            throws InterruptedException {
        long deadline = since + timeout.toNanos();
        while (collection.estimatedDocumentCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + collection.estimatedDocumentCount() + " of " + count
                        + " rows reached MongoDB within " + timeout);
            }
            Thread.sleep(100);
        }
        return System.nanoTime();
    }
}
