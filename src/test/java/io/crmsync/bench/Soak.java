package io.crmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedPostgres;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

/**
 * The soak (docs/reliability.md): two crm-sync instances under kill -9 cycles, MongoDB frozen with SIGSTOP, Redis
 * killed and restarted from its AOF, crm-sync killed during a CDC snapshot, PostgreSQL restarted while it streams and
 * the Kafka broker killed in the middle of a batch, while valid and malformed entries share users, organizations and
 * wallets. Once the faults are over and the apps have settled, {@link SoakCheck} checks the invariants.
 * <p>
 * Run with {@code mvn -B -Pbench verify -Dbench.phases=soak}; options are {@code bench.soak*} system properties
 * ({@link Options}). Every loop is bounded in count and time; every server listens on 127.0.0.1.
 */
final class Soak {

    /** Options, from system properties {@code bench.soak*}. */
    record Options(int kills, Duration freeze, int valid, int malformed, int users, int orgs, int cdcSnapshotRows,
                   int cdcStreamRows, int kafkaRows, int largeMax, Duration settle, String appXmx, String mongoXmx,
                   long seed, List<String> appJvmArgs, Duration cdcGrace) {

        static Options fromSystemProperties() {
            return new Options(
                    Integer.getInteger("bench.soakKills", 5),
                    Duration.ofSeconds(Long.getLong("bench.soakFreezeSeconds", 60)),
                    Integer.getInteger("bench.soakValid", 20_000),
                    Integer.getInteger("bench.soakMalformed", 10_000),
                    Integer.getInteger("bench.soakUsers", 300),
                    Integer.getInteger("bench.soakOrgs", 30),
                    Integer.getInteger("bench.soakCdcSnapshotRows", 20_000),
                    Integer.getInteger("bench.soakCdcStreamRows", 5_000),
                    Integer.getInteger("bench.soakKafkaRows", 5_000),
                    // each 2 MiB entry is held in its stream, the AOF and the dead letters: a few are the test
                    Integer.getInteger("bench.soakLargeMax", 20),
                    Duration.ofSeconds(Long.getLong("bench.soakSettleSeconds", 600)),
                    System.getProperty("bench.appXmx", "1g"),
                    System.getProperty("bench.soakMongoXmx", "2g"),
                    Long.getLong("bench.seed", 42),
                    java.util.Arrays.stream(System.getProperty("bench.appJvmArgs", "").split(" ")).filter(a -> !a.isBlank())
                            .toList(),
                    // the app's default (application.yaml): a snapshot in progress counts as a reader, however long
                    Duration.ofSeconds(Long.getLong("bench.soakCdcGraceSeconds", 20)));
        }
    }

    /** What a run leaves: the checked invariants and the faults as they happened. */
    record Result(SoakCheck check, List<String> faults, double seconds) {
        boolean passed() {
            return check.passed();
        }

        String report(Options options) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("Soak options: %s%n%nFaults, in order (%.0f s in all):%n", options, seconds));
            faults.forEach(f -> out.append("- ").append(f).append('\n'));
            out.append('\n').append(check.table());
            return out.toString();
        }
    }

    private static final String PG_WALLETS = "-pgw-";
    private static final Duration STUCK = Duration.ofSeconds(130);
    private static final String KAFKA_WALLETS = "-kw-";

    private final Options options;
    private final Path repo;
    private final List<String> faults = new ArrayList<>();
    private final List<String> unexpectedExits = new ArrayList<>();
    private final Map<String, SoakTraffic.Entry> published = new LinkedHashMap<>();
    private final AppProcess[] apps = new AppProcess[2];
    private final int[] incarnations = new int[2];
    private final long started = System.nanoTime();
    private BenchServers servers;
    private EmbeddedPostgres postgres;
    private KafkaProcess kafka;
    private java.nio.file.Path clusterRoot;

    Soak(Options options, Path repo) {
        this.options = options;
        this.repo = repo;
    }

    Result run() throws Exception {
        log("options " + options);
        servers = new BenchServers(false, repo, options.mongoXmx(), List.of(), Duration.ZERO,
                List.of("--appendonly", "yes", "--appendfsync", "always"));
        postgres = EmbeddedPostgres.start();
        kafka = new KafkaProcess();
        clusterRoot = Files.createTempDirectory("soak-cdc-cluster-");
        try {
            SoakTraffic traffic = new SoakTraffic(options.seed(), options.users(), options.orgs(), options.largeMax());
            SoakCdc cdc = new SoakCdc(postgres, options.seed() + 1, Math.max(3, options.users() / 10));
            servers.seed(options.orgs());
            cdc.insert(options.cdcSnapshotRows(), 1_000);
            start(0);
            start(1);
            killDuringSnapshot();
            // no wait for the restarted instance: the other one processes the warm-up meanwhile
            List<String> warm = publish(traffic.warmUp());
            awaitRecords(warm, Duration.ofMinutes(3));
            int chunks = Math.max(1, options.kills());
            for (int i = 0; i < chunks; i++) {
                chunk(i, chunks, traffic, cdc);
            }
            settle(cdc);
            SoakCheck check = new SoakCheck(servers.database(), servers.redisSync());
            check.all(traffic, published, cdc.postgresRows(), cdc.purchaseIds(), cdc.kafkaRows, unexpectedExits);
            return new Result(check, faults, (System.nanoTime() - started) / 1e9);
        } finally {
            for (AppProcess app : apps) {
                if (app != null) {
                    app.close();
                }
            }
            kafka.close();
            postgres.close();
            servers.close();
        }
    }

    // ---- the schedule

    /**
     * One chunk of Redis traffic (1/kills of the valid and malformed entries) and its faults: half is published, an
     * instance is killed with SIGKILL once a fifth of it is processed (Redis too, in its chunk) and started again;
     * the other half is published before the chunk's other faults, so each meets work in flight.
     */
    private void chunk(int i, int chunks, SoakTraffic traffic, SoakCdc cdc) throws Exception {
        List<SoakTraffic.Entry> entries = traffic.chunk(share(options.valid(), i, chunks), share(options.malformed(), i, chunks));
        List<SoakTraffic.Entry> first = entries.subList(0, entries.size() / 2);
        long before = records().estimatedDocumentCount();
        publish(first);
        awaitCount(before + first.size() / 5, Duration.ofSeconds(60));
        if (i == Math.min(1, chunks - 1)) {
            killRedis();
        }
        int victim = i % 2;
        long done = records().estimatedDocumentCount() - before;
        kill(victim, String.format("chunk %d: kill -9 %s with %d of %d entries of its first half processed", i + 1,
                apps[victim].name, done, first.size()));
        // not awaited: the app starts without its servers, waiting for them in readiness, so the freeze below may meet
        // the restarted instance still starting, however long the freeze (a start used to fail past the driver's 30 s
        // server selection)
        start(victim);
        publish(entries.subList(entries.size() / 2, entries.size()));
        if (i == 0) {
            freezeMongo();
        }
        if (i == Math.min(2, chunks - 1)) {
            restartPostgresWhileStreaming(cdc);
        }
        if (i == Math.min(3, chunks - 1)) {
            killKafkaMidBatch(cdc);
        }
        checkAlive();
    }

    private static int share(int total, int i, int chunks) {
        return total / chunks + (i < total % chunks ? 1 : 0);
    }

    /** Kills the instance reading the slot once the snapshot has written some rows and not all of them. */
    private void killDuringSnapshot() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long seen = ledgerCount(PG_WALLETS);
            if (seen >= options.cdcSnapshotRows()) {
                faults.add("CDC snapshot: all " + seen + " rows were written before the reader could be killed (no fault)");
                return;
            }
            if (seen > 0) {
                List<Integer> readers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    if (apps[i].get("/actuator/health").contains("\"reading\":true")) {
                        readers.add(i);
                    }
                }
                // neither says so yet: both, which certainly kills the reader
                List<Integer> victims = readers.isEmpty() ? List.of(0, 1) : readers;
                for (int i : victims) {
                    kill(i, String.format("CDC snapshot: kill -9 %s (%s) with %d of %d snapshot rows in the ledger",
                            apps[i].name, readers.isEmpty() ? "reader unknown, both killed" : "the slot's reader", seen,
                            options.cdcSnapshotRows()));
                    start(i);
                }
                return;
            }
            checkAlive();
            AppProcess.sleep(50);
        }
        faults.add("CDC snapshot: no row within 3 min, nothing killed");
    }

    /** SIGSTOP on the MongoDB stand-in's JVM, SIGCONT after the freeze: the apps see a server that stops answering. */
    private void freezeMongo() throws Exception {
        long pid = servers.mongoPid();
        long before = records().estimatedDocumentCount();
        signal("STOP", pid);
        long until = System.nanoTime() + options.freeze().toNanos();
        while (System.nanoTime() < until) {
            // no MongoDB query here: it would wait for the frozen server
            checkAliveWithoutRestart();
            AppProcess.sleep(250);
        }
        signal("CONT", pid);
        faults.add(String.format("MongoDB frozen (SIGSTOP on pid %d) for %d s with %d processing records written, "
                + "then SIGCONT", pid, options.freeze().toSeconds(), before));
    }

    /** SIGKILL on redis-server (appendfsync always), started again on the same port and AOF. */
    private void killRedis() {
        long entries = streamEntries();
        servers.redis.kill();
        AppProcess.sleep(2_000);
        servers.redis.startAgain();
        long after = streamEntries();
        faults.add(String.format("Redis: kill -9, restarted from its AOF after 2 s; entries of the published streams %d "
                + "before, %d after",
                entries, after));
    }

    /**
     * Inserts half the streaming rows, stops PostgreSQL (fast shutdown) once the connector has streamed some of them,
     * starts it again and inserts the other half.
     */
    private void restartPostgresWhileStreaming(SoakCdc cdc) throws Exception {
        long before = ledgerCount(PG_WALLETS);
        int half = options.cdcStreamRows() / 2;
        cdc.insert(half, 100);
        awaitLedger(PG_WALLETS, before + 1, Duration.ofSeconds(60));
        long seen = ledgerCount(PG_WALLETS);
        postgres.stop();
        AppProcess.sleep(3_000);
        postgres.restart();
        faults.add(String.format("PostgreSQL: stopped while streaming (%d of %d rows in the ledger), restarted after 3 s",
                seen, options.cdcSnapshotRows() + half));
        cdc.insert(options.cdcStreamRows() - half, 100);
    }

    /** Sends a batch of movements to Kafka, and kills the broker with SIGKILL once the apps have read part of it. */
    private void killKafkaMidBatch(SoakCdc cdc) throws Exception {
        long before = ledgerCount(KAFKA_WALLETS);
        cdc.sendToKafka(kafka.bootstrapServers(), options.kafkaRows());
        long seen = awaitLedger(KAFKA_WALLETS, before + Math.max(1, options.kafkaRows() / 5), Duration.ofSeconds(90));
        kafka.kill();
        AppProcess.sleep(3_000);
        kafka.launch();
        faults.add(String.format("Kafka: kill -9 with %d of %d acknowledged movements in the ledger, restarted after 3 s",
                seen, cdc.kafkaRows.size()));
    }

    /**
     * Until nothing is pending or unread in any group, every CDC row is in the ledger and every ledger row folded,
     * twice in a row two seconds apart; or until {@code bench.soakSettleSeconds}. A crashed instance is started again.
     */
    private void settle(SoakCdc cdc) throws Exception {
        long deadline = System.nanoTime() + options.settle().toNanos();
        int calm = 0;
        String state = "";
        String progress = "";
        long progressSince = System.nanoTime();
        boolean stuck = false;
        while (System.nanoTime() < deadline && calm < 2) {
            checkAlive();
            Map<String, long[]> groups = StreamGroups.of(servers.redisSync());
            long pending = groups.values().stream().mapToLong(g -> g[0]).sum();
            long lag = groups.values().stream().mapToLong(g -> g[1]).sum();
            long pg = ledgerCount(PG_WALLETS);
            long pgRows = cdc.postgresRows().size();
            long fromKafka = ledgerCount(KAFKA_WALLETS);
            long unfolded = servers.database().getCollection("creditLedger").countDocuments(Filters.eq("folded", false));
            state = String.format("pending %d, groups behind their stream %d, CDC ledger %d/%d (PostgreSQL) %d/%d (Kafka), unfolded %d", pending,
                    lag, pg, pgRows, fromKafka, cdc.kafkaRows.size(), unfolded);
            boolean complete = pg >= pgRows && fromKafka >= cdc.kafkaRows.size() && unfolded == 0;
            String now = pg + "/" + fromKafka + "/" + unfolded;
            if (!now.equals(progress)) {
                progress = now;
                progressSince = System.nanoTime();
            }
            // rows that never come, or never fold, are the invariants' to report: past two of the ledger
            // reconciler's one-minute rounds without a change, waiting longer shows nothing more
            stuck = !complete && System.nanoTime() - progressSince > STUCK.toNanos();
            boolean done = pending == 0 && lag == 0 && (complete || stuck);
            calm = done ? calm + 1 : 0;
            log("settling: " + state);
            AppProcess.sleep(2_000);
        }
        faults.add(String.format("%s after the last fault: %s", calm < 2 ? "NOT settled (time limit)"
                : stuck ? "settled with CDC rows missing or ledger rows unfolded, unchanged for " + STUCK.toSeconds() + " s,"
                : "settled", state));
    }

    // ---- the apps

    private void start(int i) {
        String name = "soak-app-" + (i + 1);
        Path log = repo.resolve("target/bench-" + name + ".log");
        try {
            // each incarnation keeps its own log: the evidence of a kill is in the one before
            if (Files.exists(log)) {
                Files.move(log, repo.resolve("target/bench-" + name + "." + incarnations[i] + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        incarnations[i]++;
        // the same consumer name as before: a restarted pod of a StatefulSet, which reads its own pending entries first
        // the slot is checked every second and the position stored every 500 ms, as CdcFailoverIT sets them
        List<String> jvm = new ArrayList<>(List.of("-Dcrm.cdc.inactive-grace=" + options.cdcGrace().toSeconds() + "s",
                "-Dcrm.cdc.check-interval=1s", "-Dcrm.cdc.offset-flush-interval=500"));
        jvm.addAll(options.appJvmArgs());
        apps[i] = new AppProcess(repo, name, options.appXmx(), servers.redis.url(), servers.mongoUri(), jvm,
                Map.of("CDC_DATABASE_URL", postgres.url(DemoDatabases.LOYALTY), "CRM_CDC_CLUSTER_ROOT", clusterRoot.toString(),
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()));
    }

    private void kill(int i, String fault) throws InterruptedException {
        apps[i].kill();
        faults.add(fault);
        log(fault);
    }

    /** An instance that exited without the soak killing it is a finding: noted with its log, and started again. */
    private void checkAlive() {
        for (int i = 0; i < 2; i++) {
            if (noteExit(i) && unexpectedExits.size() <= 5) {
                start(i);
            }
        }
    }

    private void checkAliveWithoutRestart() {
        for (int i = 0; i < 2; i++) {
            noteExit(i);
        }
    }

    private boolean noteExit(int i) {
        AppProcess app = apps[i];
        // the soak's own kills replace the process at once: any exit seen here is the app's own
        if (app == null || app.isAlive()) {
            return false;
        }
        String exit = String.format("%s (incarnation %d) exited by itself with %d after %.0f s; last error in %s: %s",
                app.name, incarnations[i], app.process.exitValue(), (System.nanoTime() - app.startedNanos) / 1e9, app.log,
                lastError(app.log));
        if (!unexpectedExits.contains(exit)) {
            unexpectedExits.add(exit);
            faults.add("UNEXPECTED: " + exit);
            log(exit);
        }
        return true;
    }

    private static String lastError(Path log) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("ERROR") || l.contains("Exception")).reduce((a, b) -> b)
                    .map(l -> l.length() > 400 ? l.substring(0, 400) : l).orElse("(none)");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable)";
        }
    }

    // ---- publishing and counting

    /** XADDs the entries (raw ones with a byte codec) and remembers each one's origin. */
    private List<String> publish(List<SoakTraffic.Entry> entries) {
        List<EventGenerator.Event> text = new ArrayList<>();
        List<SoakTraffic.Entry> byText = new ArrayList<>();
        for (SoakTraffic.Entry entry : entries) {
            if (entry.raw() == null) {
                text.add(new EventGenerator.Event(text.size(), entry.stream(), entry.fields()));
                byText.add(entry);
            }
        }
        List<String> origins = new ArrayList<>();
        Publisher.backlog(servers.redisClient, text.iterator(), text.size(), origins);
        for (int i = 0; i < origins.size(); i++) {
            published.put(origins.get(i), byText.get(i));
        }
        try (var raw = servers.redisClient.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            for (SoakTraffic.Entry entry : entries) {
                if (entry.raw() != null) {
                    String id = raw.sync().xadd(entry.stream().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            SoakTraffic.rawFields(entry));
                    published.put(entry.stream() + "/" + id, entry);
                    origins.add(entry.stream() + "/" + id);
                }
            }
        }
        log(String.format("published %d entries (%d malformed)", origins.size(), entries.stream().filter(e -> !e.valid()).count()));
        return origins;
    }

    private MongoCollection<Document> records() {
        return servers.database().getCollection("eventProcessingRecords");
    }

    private void awaitCount(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records().estimatedDocumentCount() < target && System.nanoTime() < deadline) {
            checkAlive();
            AppProcess.sleep(100);
        }
    }

    /** Until every origin has a processing record (in $in queries of 200, which the stand-in serves fastest). */
    private void awaitRecords(List<String> origins, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        while (from < origins.size() && System.nanoTime() < deadline) {
            List<String> part = origins.subList(from, Math.min(origins.size(), from + 200));
            if (records().countDocuments(Filters.in("_id", part)) == part.size()) {
                from += part.size();
            } else {
                checkAlive();
                AppProcess.sleep(200);
            }
        }
        log(String.format("%d of %d warm-up entries have a processing record", from, origins.size()));
    }

    private long ledgerCount(String walletMark) {
        return servers.database().getCollection("creditLedger").countDocuments(Filters.regex("entityId", walletMark));
    }

    private long awaitLedger(String walletMark, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count;
        while ((count = ledgerCount(walletMark)) < target && System.nanoTime() < deadline) {
            checkAlive();
            AppProcess.sleep(20);
        }
        return count;
    }

    /** Entries of the streams the soak publishes to (the apps append to acknowledgments and dead letters). */
    private long streamEntries() {
        RedisCommands<String, String> redis = servers.redisSync();
        return StreamGroups.streams(redis).stream().filter(s -> !s.equals("acknowledgments") && !s.equals(SoakCheck.DEAD_LETTERS))
                .mapToLong(redis::xlen).sum();
    }

    private static void signal(String signal, long pid) throws Exception {
        // its output not inherited: under failsafe this JVM's stdout is the channel to Maven
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    static void log(String message) {
        Benchmark.log("soak: " + message);
    }
}
