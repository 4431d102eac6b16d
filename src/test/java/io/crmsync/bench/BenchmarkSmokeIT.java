package io.crmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small run of the benchmark's drain and baseline phases (a few thousand events, the app jar as its own JVM),
 * asserting what they leave rather than how fast: the benchmark measures a correct run, or it measures nothing.
 */
class BenchmarkSmokeIT {

    private static final int EVENTS = 3_000;
    private static BenchServers servers;
    private static Benchmark bench;

    @BeforeAll
    static void servers() {
        servers = new BenchServers(true, Path.of("").toAbsolutePath(), "256m");
        Benchmark.Options options = new Benchmark.Options(EVENTS, List.of(), 0, 0, Set.of("drain", "baseline"), "512m", "256m",
                7, Duration.ofMinutes(2), Duration.ZERO, List.of(), Duration.ZERO, 0, 0, 0, List.of());
        bench = new Benchmark(options, servers, Path.of("").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void appDrainLeavesEveryEntryProcessedAckedAndConvergent() {
        List<String> origins = new ArrayList<>();
        EventGenerator generator = bench.prepare(EVENTS, origins);

        Benchmark.Drain drain = bench.drain(1, EVENTS, "512m", false);

        assertThat(drain.completed()).isTrue();
        MongoDatabase db = servers.database();
        MongoCollection<Document> records = db.getCollection("eventProcessingRecords");
        for (int i = 0; i < origins.size(); i += 500) {
            List<String> chunk = origins.subList(i, Math.min(origins.size(), i + 500));
            assertThat(records.countDocuments(Filters.in("_id", chunk))).as("processing records").isEqualTo(chunk.size());
        }
        assertThat(records.countDocuments(Filters.eq("status", "deadlettered"))).as("dead-lettered").isZero();
        assertThat(bench.pendingTotal()).as("pending entries").isZero();
        assertBalances(db, generator, true);
        assertUsers(db, generator);
    }

    @Test
    void contractBaselineLeavesWhatTheAppLeaves() {
        EventGenerator generator = bench.prepare(EVENTS, null);

        long done = new ContractBaseline(servers.redisSync(), servers.redisConnection.async(), servers.database(),
                EventGenerator.streamGroups()).drain();

        assertThat(done).isEqualTo(EVENTS);
        assertThat(servers.database().getCollection("eventProcessingRecords").countDocuments()).isEqualTo(EVENTS);
        assertThat(servers.redisSync().xlen("acknowledgments")).isEqualTo(EVENTS);
        assertThat(bench.pendingTotal()).isZero();
        assertBalances(servers.database(), generator, true);
        assertUsers(servers.database(), generator);
    }

    @Test
    void rawBaselineWritesTheSameCreditSums() {
        EventGenerator generator = bench.prepare(EVENTS, null);

        long done = new RawBaseline(servers.redisSync(), servers.database(), EventGenerator.streamGroups()).drain();

        assertThat(done).isEqualTo(EVENTS);
        assertThat(bench.pendingTotal()).isZero();
        assertBalances(servers.database(), generator, false);
    }

    @Test
    void theSeedPatternBehindTheLatencyProxyPaysThreeRoundTripsPerEventAndLeavesNothingPending() {
        int events = 100;
        try (BenchServers delayed = new BenchServers(true, Path.of("").toAbsolutePath(), "256m", List.of(), Duration.ofMillis(1))) {
            Benchmark seeded = new Benchmark(new Benchmark.Options(events, List.of(), 0, 0, Set.of("seed"), "512m", "256m",
                    7, Duration.ofMinutes(2), Duration.ZERO, List.of(), Duration.ofMillis(1), events, 0, 0, List.of()), delayed,
                    Path.of("").toAbsolutePath());
            EventGenerator generator = seeded.prepare(events, null);

            long start = System.nanoTime();
            long done = new SeedPattern(delayed.consumerRedis().sync(), delayed.consumerDatabase(),
                    EventGenerator.streamGroups()).drain();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(done).isEqualTo(events);
            assertThat(seeded.pendingTotal()).isZero();
            // a lower bound the proxy guarantees (read, write, ack: 2 ms each), not a speed
            assertThat(seconds).isGreaterThanOrEqualTo(events * 3 * 0.002);
            assertBalances(delayed.database(), generator, false);
        }
    }

    private static void assertBalances(MongoDatabase db, EventGenerator generator, boolean againstLedger) {
        assertThat(generator.balances).isNotEmpty();
        for (Map.Entry<String, BigDecimal> expected : generator.balances.entrySet()) {
            Document balance = db.getCollection("creditBalances").find(Filters.eq("_id", expected.getKey())).first();
            assertThat(balance).as("balance " + expected.getKey()).isNotNull();
            assertThat(decimal(balance.get("balance"))).as("balance " + expected.getKey()).isEqualByComparingTo(expected.getValue());
            if (againstLedger) {
                String[] key = expected.getKey().split(":", 2);
                BigDecimal ledger = BigDecimal.ZERO;
                // the accepted entries: one refused at its fold (refused: true) is never part of a balance
                for (Document entry : db.getCollection("creditLedger").find(Filters.and(Filters.eq("tenantId", key[0]),
                        Filters.eq("entityId", key[1]), Filters.ne("refused", true)))) {
                    ledger = ledger.add(decimal(entry.get("amount")));
                }
                assertThat(ledger).as("ledger sum " + expected.getKey()).isEqualByComparingTo(expected.getValue());
            }
        }
    }

    private static void assertUsers(MongoDatabase db, EventGenerator generator) {
        int checked = 0;
        for (Map.Entry<String, EventGenerator.UserState> expected : generator.userStates.entrySet()) {
            if (checked++ >= 50) {
                break;
            }
            String userId = expected.getKey().split(":", 2)[1];
            Document user = db.getCollection("users").find(Filters.eq("_id", userId)).first();
            EventGenerator.UserState state = expected.getValue();
            assertThat(user).as("user " + userId).isNotNull();
            assertThat(user.getBoolean("isActive")).as("isActive of " + userId).isEqualTo(state.isActive);
            assertThat(Boolean.TRUE.equals(user.getBoolean("deleted"))).as("deleted of " + userId).isEqualTo(state.deleted());
            assertThat(user.getString("email")).as("email of " + userId).isEqualTo(state.email());
        }
        assertThat(checked).isPositive();
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof Decimal128 d ? d.bigDecimalValue() : new BigDecimal(String.valueOf(value));
    }
}
