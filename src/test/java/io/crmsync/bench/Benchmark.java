package io.crmsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.bson.Document;

/**
 * crm-sync's throughput benchmark (see docs/benchmarks.md): drain rate of a backlog against a raw baseline on the
 * same servers, latency at fixed publish rates, heap through a large backlog at -Xmx256m, and two instances against
 * one. Run with {@code mvn -B -Pbench verify}; options are system properties (see {@link Options}). The {@code soak}
 * phase, not among the defaults, checks invariants under faults instead of measuring (see {@link Soak}).
 */
public final class Benchmark {

    /** Options, from system properties {@code bench.*}. */
    record Options(long events, List<Integer> rates, double steadySeconds, long backlog, Set<String> phases,
                   String appXmx, String mongoXmx, long seed, Duration drainTimeout, Duration heapLimit,
                   List<String> appJvmArgs, Duration delay, long seedEvents, double warmupSeconds,
                   double warmupMaxSeconds, List<String> mongoJvmArgs) {

        static Options fromSystemProperties() {
            return new Options(
                    Long.getLong("bench.events", 200_000),
                    Arrays.stream(System.getProperty("bench.rates", "500,1000,5000").split(",")).map(String::trim)
                            .map(Integer::valueOf).toList(),
                    Double.parseDouble(System.getProperty("bench.steadySeconds", "20")),
                    Long.getLong("bench.backlog", 1_000_000),
                    Arrays.stream(System.getProperty("bench.phases", "drain,baseline,contract,seed,steady,cdc,heap,scale").split(","))
                            .map(String::trim).collect(Collectors.toCollection(java.util.LinkedHashSet::new)),
                    System.getProperty("bench.appXmx", "1g"),
                    System.getProperty("bench.mongoXmx", "8g"),
                    Long.getLong("bench.seed", 42),
                    Duration.ofSeconds(Long.getLong("bench.drainTimeoutSeconds", 3600)),
                    // 0: until the whole backlog is drained
                    Duration.ofSeconds(Long.getLong("bench.heapSeconds", 0)),
                    // for profiling, e.g. -XX:StartFlightRecording=filename=target/app.jfr
                    jvmArgs("bench.appJvmArgs", ""),
                    // each way, between every consumer (app, baselines) and both servers: 1 ms is a 2 ms round trip
                    Duration.ofNanos((long) (Double.parseDouble(System.getProperty("bench.delayMs", "0")) * 1e6)),
                    // the seed pattern is bound by latency, so a short backlog tells its rate
                    Long.getLong("bench.seedEvents", 5_000),
                    // a JVM compiles the hot path over its first minute: latency then is the JIT's, not the app's
                    Double.parseDouble(System.getProperty("bench.warmupSeconds", "45")),
                    // and goes on until the app's JIT has settled, or this long: one big method compiled late can
                    // still take a third of a core two minutes after start
                    Double.parseDouble(System.getProperty("bench.warmupMaxSeconds", "600")),
                    // the collector of the MongoDB server's JVM, which mongod does not have. The stand-in's documents
                    // live as long as it does: tenured at their first collection, G1 copies them once instead of
                    // up to 15 times, and its pauses fall from 70 to 30 ms. -XX:+UseZGC does not pause but takes half
                    // a core through a drain (docs/benchmarks.md, "The stand-in MongoDB")
                    jvmArgs("bench.mongoJvmArgs", "-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0"));
        }

        /** A property of space-separated JVM options. */
        private static List<String> jvmArgs(String property, String fallback) {
            return Arrays.stream(System.getProperty(property, fallback).split(" ")).filter(a -> !a.isBlank()).toList();
        }
    }

    /** One line of the results table. */
    record Row(String phase, long events, double seconds, double rate, String latency, String heap, String notes) {
    }

    /** What one drain of a backlog by crm-sync measured. */
    record Drain(long events, long untimed, double seconds, double rate, double startupSeconds, double ackTailSeconds,
                 long deadLettered, long heapMaxBytes, String cpu, boolean completed, CpuSampler.PerEvent appPerEvent,
                 Measured secondHalf) {
    }

    /**
     * Events per second and CPU per event of a drain or of part of it. Its second half ({@link Halfway}) is what a
     * process that runs for days pays, once most of the JIT's compiling is done.
     */
    record Measured(double rate, CpuSampler.PerEvent perEvent) {
        static final Measured UNKNOWN = new Measured(Double.NaN, CpuSampler.PerEvent.UNKNOWN);

        boolean known() {
            return rate > 0 && Double.isFinite(rate) && Double.isFinite(perEvent.all());
        }
    }

    private final Options options;
    private final BenchServers servers;
    private final Path repo;
    private final Instant base = Instant.parse("2025-01-01T00:00:00Z");
    final List<Row> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    private Double baselineRate;
    private Double contractRate;
    // CPU per event of the contract baseline, for the drain's comparison
    private CpuSampler.PerEvent contractPerEvent;
    private Measured contractSecondHalf = Measured.UNKNOWN;
    private Double seedRate;
    private String roundTrips;

    Benchmark(Options options, BenchServers servers, Path repo) {
        this.options = options;
        this.servers = servers;
        this.repo = repo;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.fromSystemProperties();
        Path repo = Path.of(System.getProperty("bench.repo", System.getProperty("user.dir"))).toAbsolutePath();
        if (!Files.exists(repo.resolve("target/crm-sync.jar"))) {
            throw new IllegalStateException("target/crm-sync.jar is missing: run mvn -B -Pbench verify");
        }
        log("options " + options);
        if (options.phases().contains("soak")) {
            // servers of its own (an AOF-backed Redis, PostgreSQL, a Kafka broker), so it runs before the others
            soak(repo);
            if (options.phases().size() == 1) {
                return;
            }
        }
        try (BenchServers servers = new BenchServers(false, repo, options.mongoXmx(), options.mongoJvmArgs(), options.delay())) {
            Benchmark bench = new Benchmark(options, servers, repo);
            bench.run();
            String table = bench.table();
            System.out.println();
            System.out.println(table);
            Files.writeString(repo.resolve("target/bench-results.md"), table);
            log("written to target/bench-results.md");
        }
    }

    /** The soak phase (see Soak): its table in target/soak-results.md; fails when an invariant does not hold. */
    private static void soak(Path repo) throws Exception {
        Soak.Options soakOptions = Soak.Options.fromSystemProperties();
        Soak.Result result = new Soak(soakOptions, repo).run();
        String report = result.report(soakOptions);
        System.out.println();
        System.out.println(report);
        Files.writeString(repo.resolve("target/soak-results.md"), report);
        log("written to target/soak-results.md");
        if (!result.passed()) {
            throw new IllegalStateException("soak: " + result.check().invariants.stream().filter(i -> !i.pass()).count()
                    + " invariant(s) failed; see target/soak-results.md");
        }
    }

    void run() {
        if (!options.delay().isZero()) {
            roundTrips = servers.measuredRoundTrips();
            log("round trips through the delaying proxy: " + roundTrips);
        }
        Drain single = null;
        if (options.phases().contains("baseline")) {
            baseline(options.events());
        }
        if (options.phases().contains("contract")) {
            contractBaseline(options.events());
        }
        if (options.phases().contains("seed")) {
            seedPattern(options.seedEvents());
        }
        if (options.phases().contains("drain")) {
            single = drainPhase("drain (1 instance)", 1, options.events(), options.appXmx(), true);
            ratio("drain over the raw baseline", single.rate(), baselineRate, "what the guarantees and the app cost");
            ratio("drain over the contract baseline", single.rate(), contractRate, "the app's own overhead");
            ratio("drain over the seed pattern", single.rate(), seedRate, "what batching and pipelining gain");
            // the seed pattern waits on round trips rather than the JIT, so its rate compares with a warm drain's too
            if (single.secondHalf().known()) {
                ratio("second half of the drain over the seed pattern", single.secondHalf().rate(), seedRate,
                        "the same, once most of the JIT's compiling is done");
            }
            if (contractPerEvent != null) {
                CpuSampler.PerEvent app = single.appPerEvent();
                String line = cpuComparison(app, contractPerEvent);
                // where the difference is: the app's stages against the baseline's one loop thread
                String threads = "CPU per event by thread: app " + app.threads() + "; contract baseline "
                        + contractPerEvent.threads();
                log(line);
                log(threads);
                notes.add(line);
                notes.add(threads);
                Measured half = single.secondHalf();
                if (single.completed() && half.known() && contractSecondHalf.known()) {
                    String warm = String.format("second half of both (JIT mostly done): drain %.2fx (%.0f vs %.0f ev/s); "
                                    + "%s; by thread: app %s; contract baseline %s",
                            half.rate() / contractSecondHalf.rate(), half.rate(), contractSecondHalf.rate(),
                            cpuComparison(half.perEvent(), contractSecondHalf.perEvent()), half.perEvent().threads(),
                            contractSecondHalf.perEvent().threads());
                    log(warm);
                    notes.add(warm);
                }
            }
        }
        if (options.phases().contains("steady")) {
            steady();
        }
        if (options.phases().contains("cdc")) {
            cdc();
        }
        if (options.phases().contains("heap")) {
            drainPhase("heap: " + options.backlog() + "-entry backlog at -Xmx256m", 1, options.backlog(), "256m", false);
        }
        if (options.phases().contains("scale")) {
            if (single == null) {
                single = drainPhase("drain (1 instance)", 1, options.events(), options.appXmx(), false);
            }
            Drain two = drainPhase("scale (2 instances)", 2, options.events(), options.appXmx(), false);
            notes.add(String.format("scale: speed-up of 2 instances over 1 = %.2fx (%.0f vs %.0f ev/s)",
                    two.rate() / single.rate(), two.rate(), single.rate()));
        }
    }

    // ---- cdc

    /** A CDC backlog of {@code bench.cdcRows} rows: the first snapshot, then streaming (see CdcDrain). */
    void cdc() {
        long count = Long.getLong("bench.cdcRows", 100_000);
        try {
            CdcDrain.Result result = CdcDrain.run(repo, servers, count, options.appXmx(), options.appJvmArgs(),
                    options.drainTimeout());
            long half = count / 2;
            log(String.format("cdc: snapshot of %d rows in %.1f s, streaming of %d rows in %.1f s", half,
                    result.snapshotSeconds(), count - half, result.streamingSeconds()));
            rows.add(new Row("cdc snapshot (Debezium embedded, purchase_ledger)", half, result.snapshotSeconds(),
                    half / result.snapshotSeconds(), "", "", String.format("connector start-up and first row %.1f s",
                            result.startupSeconds())));
            rows.add(new Row("cdc streaming (inserts of 1,000-row transactions)", count - half,
                    result.streamingSeconds(), (count - half) / result.streamingSeconds(), "", "",
                    "timed from the first insert to the last document"));
        } catch (Exception e) {
            throw new IllegalStateException("cdc phase failed: " + e.getMessage(), e);
        }
    }

    // ---- baseline

    double baseline(long n) {
        prepare(n, null);
        baselineRate = timeInProcess("baseline", "raw baseline (Lettuce+Jackson+bulkWrite, 1 thread)", n,
                new RawBaseline(servers.consumerRedis().sync(), servers.consumerDatabase(), EventGenerator.streamGroups())).whole().rate();
        return baselineRate;
    }

    /** The raw baseline's loop doing crm-sync's work with crm-sync's classes, without Camel (see ContractBaseline). */
    double contractBaseline(long n) {
        prepare(n, null);
        InProcess timed = timeInProcess("contract baseline", "contract baseline (crm-sync's classes and guarantees, no Camel, 1 reading thread)", n,
                new ContractBaseline(servers.consumerRedis().sync(), servers.consumerRedis().async(), servers.consumerDatabase(),
                        EventGenerator.streamGroups()));
        contractRate = timed.whole().rate();
        contractPerEvent = timed.whole().perEvent();
        contractSecondHalf = timed.secondHalf();
        return contractRate;
    }

    /** The seed guide's one-entry-at-a-time consumer (see SeedPattern). */
    double seedPattern(long n) {
        prepare(n, null);
        seedRate = timeInProcess("seed pattern", "seed pattern (XREADGROUP COUNT 1, write, XACK; 1 thread)", n,
                new SeedPattern(servers.consumerRedis().sync(), servers.consumerDatabase(), EventGenerator.streamGroups())).whole().rate();
        return seedRate;
    }

    private void ratio(String what, double rate, Double reference, String meaning) {
        if (reference != null) {
            String line = String.format("%s = %.2fx (%.0f vs %.0f ev/s): %s", what, rate / reference, rate, reference, meaning);
            log(line);
            notes.add(line);
        }
    }

    /** What a loop in this JVM measured, over its whole backlog and over the second half of it. */
    private record InProcess(Measured whole, Measured secondHalf) {
    }

    private static String cpuComparison(CpuSampler.PerEvent app, CpuSampler.PerEvent contract) {
        return String.format("app CPU per event over the contract baseline's = %.2fx (%.0f vs %.0f us); "
                        + "without the JIT compiler threads of both %.2fx (%.0f vs %.0f us)",
                app.all() / contract.all(), app.all(), contract.all(),
                app.withoutJit() / contract.withoutJit(), app.withoutJit(), contract.withoutJit());
    }

    /** Drains the published backlog in this JVM with {@code loop}, from its first read to its last XACK. */
    private InProcess timeInProcess(String name, String row, long backlog, RawBaseline loop) {
        try (CpuSampler cpu = cpuOf(List.of())) {
            cpu.start();
            long start = System.nanoTime();
            Halfway halfway = new Halfway(cpu, backlog);
            loop.progress = halfway::progress;
            long done = loop.drain();
            long end = System.nanoTime();
            double seconds = (end - start) / 1e9;
            cpu.stop();
            double rate = done / seconds;
            log(String.format("%s: %d entries in %.1f s = %.0f ev/s; CPU %s", name, done, seconds, rate, cpu.summary()));
            rows.add(new Row(row, done, seconds, rate, "", "", "CPU " + cpu.summary()));
            return new InProcess(new Measured(rate, cpu.microsPerEvent("driver", done)), halfway.after(done, end, "driver"));
        }
    }

    // ---- drain

    /** Resets the servers, publishes {@code n} events, seeds tenants and organizations; returns the generator. */
    EventGenerator prepare(long n, List<String> origins) {
        servers.reset();
        EventGenerator generator = new EventGenerator(n, options.seed(), base);
        servers.seed(generator.orgs());
        double seconds = Publisher.backlog(servers.redisClient, generator, n, origins);
        log(String.format("published %d events in %.1f s (%.0f XADD/s) over %d streams", n, seconds, n / seconds,
                generator.perStream.size()));
        return generator;
    }

    Drain drainPhase(String phase, int instances, long n, String xmx, boolean threadDumps) {
        prepare(n, null);
        Drain drain = drain(instances, n, xmx, threadDumps);
        rows.add(new Row(phase, drain.events(), drain.seconds(), drain.rate(), "",
                drain.heapMaxBytes() > 0 ? String.format("%.0f MB (of -Xmx%s)", drain.heapMaxBytes() / 1048576.0, xmx) : "",
                String.format("%sof %d published, %d were written before every instance was ready (not timed); start-up %.1f s, ack tail %s, dead-lettered %d; CPU %s",
                        drain.completed() ? "" : "STOPPED before the end of the backlog (time limit); ", n, drain.untimed(), drain.startupSeconds(),
                        Double.isNaN(drain.ackTailSeconds()) ? "n/a" : String.format("%.1f s", drain.ackTailSeconds()),
                        drain.deadLettered(), drain.cpu())));
        return drain;
    }

    /**
     * Starts {@code instances} app JVMs on the published backlog and times from the first processing record to the
     * last (count of eventProcessingRecords = n); JVM start-up is measured apart. Heap is scraped every second.
     */
    Drain drain(int instances, long n, String xmx, boolean threadDumps) {
        MongoCollection<Document> records = servers.database().getCollection("eventProcessingRecords");
        List<AppProcess> apps = new ArrayList<>();
        long heapMax = -1;
        try {
            long t0 = System.nanoTime();
            for (int i = 1; i <= instances; i++) {
                List<String> jvm = new ArrayList<>(options.appJvmArgs());
                if (xmx.equals("256m")) {
                    jvm.add("-Xlog:gc:file=" + repo.resolve("target/bench-heap-gc.log"));
                    jvm.add("-XX:+ExitOnOutOfMemoryError");
                }
                apps.add(new AppProcess(repo, "bench-app-" + i, xmx, servers.consumerRedisUrl(), servers.consumerMongoUri(), jvm));
            }
            long first;
            long count;
            while ((count = records.estimatedDocumentCount()) == 0) {
                requireAlive(apps);
                check(t0, Duration.ofMinutes(3), "no record written");
                AppProcess.sleep(20);
            }
            double startup = (System.nanoTime() - t0) / 1e9;
            log(String.format("%d instance(s): first record after %.1f s", instances, startup));
            // the timed window starts once every instance is up, so a second JVM's start-up is not counted as its
            // share of the drain; entries written before that are left out of the rate
            for (AppProcess app : apps) {
                if (!app.awaitReady(Duration.ofMinutes(3))) {
                    log("  " + app.name + " not ready within 3 min; timing from now anyway");
                }
            }
            first = System.nanoTime();
            count = records.estimatedDocumentCount();
            long countAtFirst = count;
            log(String.format("%d instance(s) ready after %.1f s, %d already processed; timing from here", instances,
                    (first - t0) / 1e9, count));
            List<Long> pids = apps.stream().map(AppProcess::pid).toList();
            try (CpuSampler cpu = cpuOf(pids)) {
                cpu.start();
                long lastLog = first;
                long lastHeap = 0;
                int dumps = 0;
                boolean completed = true;
                Halfway halfway = new Halfway(cpu, n);
                while (count < n) {
                    long now = System.nanoTime();
                    halfway.progress(count);
                    Duration limit = xmx.equals("256m") && !options.heapLimit().isZero() ? options.heapLimit() : options.drainTimeout();
                    if (now - first > limit.toNanos() || apps.stream().noneMatch(AppProcess::isAlive)) {
                        completed = false;
                        break;
                    }
                    if (now - lastHeap >= 1_000_000_000L) {
                        lastHeap = now;
                        for (AppProcess app : apps) {
                            heapMax = Math.max(heapMax, app.heapUsedBytes());
                        }
                    }
                    if (threadDumps && dumps < 3 && count >= n * (2 + dumps) / 10) {
                        // three samples while every stream is busy, all in the first half: each jstack pauses the app,
                        // and the second half is measured apart
                        apps.get(0).threadDump(repo.resolve("target/bench-jstack-" + (++dumps) + ".txt"));
                    }
                    if (now - lastLog > 10_000_000_000L) {
                        lastLog = now;
                        log(String.format("  %d / %d processed, %.0f ev/s so far, heap max %.0f MB", count, n,
                                (count - countAtFirst) / ((now - first) / 1e9), heapMax / 1048576.0));
                    }
                    AppProcess.sleep(50);
                    count = records.estimatedDocumentCount();
                }
                long end = System.nanoTime();
                cpu.stop();
                double seconds = (end - first) / 1e9;
                double rate = (count - countAtFirst) / seconds;
                // a drain stopped at its time limit still has pending entries by design: no point waiting for them
                double ackTail = completed ? awaitNoPending(Duration.ofSeconds(60)) : Double.NaN;
                for (AppProcess app : apps) {
                    heapMax = Math.max(heapMax, app.heapUsedBytes());
                }
                long dead = records.countDocuments(Filters.eq("status", "deadlettered"));
                log(String.format("%d instance(s): %d records in %.1f s = %.0f ev/s (start-up %.1f s, ack tail %.1f s, "
                        + "dead-lettered %d, heap max %.0f MB); CPU %s", instances, count, seconds, rate, startup, ackTail,
                        dead, heapMax / 1048576.0, cpu.summary()));
                if (!completed) {
                    log("  drain did not complete: " + apps.stream().map(a -> a.name + (a.isAlive() ? " alive" : " exited " + a.process.exitValue()))
                            .collect(Collectors.joining(", ")));
                }
                return new Drain(count - countAtFirst, countAtFirst, seconds, rate, startup, ackTail, dead, heapMax, cpu.summary(),
                        completed, cpu.microsPerEvent("app1", count - countAtFirst), halfway.after(count, end, "app1"));
            }
        } finally {
            apps.forEach(AppProcess::close);
        }
    }

    private static void requireAlive(List<AppProcess> apps) {
        for (AppProcess app : apps) {
            if (!app.isAlive()) {
                throw new IllegalStateException(app.name + " exited with " + app.process.exitValue() + "; see " + app.log);
            }
        }
    }

    private static void check(long since, Duration limit, String what) {
        if (System.nanoTime() - since > limit.toNanos()) {
            throw new IllegalStateException(what + " within " + limit);
        }
    }

    /** Waits until every group has no pending entry; returns the seconds waited. */
    double awaitNoPending(Duration timeout) {
        long start = System.nanoTime();
        while (pendingTotal() > 0) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                log("  still pending after " + timeout + ": " + pendingTotal());
                break;
            }
            AppProcess.sleep(50);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    long pendingTotal() {
        long total = 0;
        for (Map.Entry<String, String> sg : EventGenerator.streamGroups().entrySet()) {
            try {
                total += servers.redisSync().xpending(sg.getKey(), sg.getValue()).getCount();
            } catch (RuntimeException e) {
                // no such stream or group: nothing pending there
            }
        }
        return total;
    }

    private CpuSampler cpuOf(List<Long> appPids) {
        CpuSampler cpu = new CpuSampler();
        for (int i = 0; i < appPids.size(); i++) {
            cpu.add("app" + (i + 1), appPids.get(i));
        }
        cpu.add("redis", servers.redisPid());
        long driver = ProcessHandle.current().pid();
        if (servers.mongoPid() == driver) {
            cpu.add("driver+mongo", driver);
        } else {
            cpu.add("mongo", servers.mongoPid());
            cpu.add("driver", driver);
        }
        // everything on the machine (max 100% x nproc): more than the sum above means another workload competed
        cpu.add("machine", CpuSampler.MACHINE);
        return cpu;
    }

    // ---- steady state

    void steady() {
        servers.reset();
        EventGenerator generator = new EventGenerator(Long.MAX_VALUE, options.seed() + 1, base, 5_000, 500, 200, 0);
        servers.seed(generator.orgs());
        MongoCollection<Document> records = servers.database().getCollection("eventProcessingRecords");
        try (AppProcess app = new AppProcess(repo, "bench-steady", options.appXmx(), servers.consumerRedisUrl(), servers.consumerMongoUri(),
                options.appJvmArgs())) {
            if (!app.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("app not ready; see " + app.log);
            }
            warmUp(app, records, generator);
            for (int rate : options.rates()) {
                rows.add(steadyWindow(app, records, generator, rate, options.steadySeconds(),
                        "steady " + rate + " ev/s (" + (int) options.steadySeconds() + " s)").row());
            }
        }
    }

    /** The app's JIT under this share of a core (percent) over a warm-up window counts as settled. */
    private static final double JIT_SETTLED = 5.0;
    private static final double WARMUP_STEP_SECONDS = 20;

    /**
     * Publishes at 1,000 ev/s for {@code bench.warmupSeconds}, then in further windows until the app's JIT compiler
     * threads take under {@value #JIT_SETTLED}% of a core or {@code bench.warmupMaxSeconds} have passed: the rates
     * after it then measure the app rather than its compiler. Each window is a row of its own.
     */
    private void warmUp(AppProcess app, MongoCollection<Document> records, EventGenerator generator) {
        if (options.warmupSeconds() <= 0) {
            return;
        }
        Window window = steadyWindow(app, records, generator, 1_000, options.warmupSeconds(), String.format(
                "steady warm-up at 1000 ev/s (%.0f s of publishing after ready, not a rate)", options.warmupSeconds()));
        rows.add(window.row());
        double after = options.warmupSeconds();
        while (window.appJit() >= JIT_SETTLED && after + WARMUP_STEP_SECONDS <= options.warmupMaxSeconds()) {
            log(String.format("  the app's JIT took %.0f%% of a core; warming up for %.0f s more", window.appJit(),
                    WARMUP_STEP_SECONDS));
            window = steadyWindow(app, records, generator, 1_000, WARMUP_STEP_SECONDS, String.format(
                    "steady warm-up at 1000 ev/s (%.0f-%.0f s of publishing after ready, not a rate)", after,
                    after + WARMUP_STEP_SECONDS));
            rows.add(window.row());
            after += WARMUP_STEP_SECONDS;
        }
        String warm = String.format("steady warm-up: %.0f s of publishing after ready; the app's JIT at %.0f%% of a core "
                + "in its last window", after, window.appJit());
        if (window.appJit() >= JIT_SETTLED) {
            warm += ", still compiling at bench.warmupMaxSeconds: the rates after it measure the JIT as well";
        }
        log(warm);
        notes.add(warm);
    }

    /** A steady window's row, and the share of a core the app's JIT compiler threads took in it (percent). */
    private record Window(Row row, double appJit) {
    }

    private Window steadyWindow(AppProcess app, MongoCollection<Document> records, EventGenerator generator, int rate,
                             double seconds, String label) {
        long before = records.estimatedDocumentCount();
        try (CpuSampler cpu = cpuOf(List.of(app.pid()))) {
            cpu.start();
            Map<String, Long> sentAt = Publisher.paced(servers.redisClient, generator, rate, seconds);
            boolean caughtUp = awaitRecords(records, before + sentAt.size(), Duration.ofSeconds(60));
            cpu.stop();
            Map<String, Long> byOrigin = latencyByOrigin(records, sentAt);
            long[] latencies = sorted(byOrigin.values());
            int missing = sentAt.size() - latencies.length;
            String latency = latency(latencies, sentAt.size());
            log("  slowest streams, " + label + ": " + slowestStreams(byOrigin));
            log("  slowest seconds, " + label + " (by send time): " + slowestSeconds(byOrigin, sentAt));
            log(String.format("%s: %d published, %s, %d not visible within 60 s; CPU %s", label, sentAt.size(), latency,
                    missing, cpu.summary()));
            double appJit = cpu.jitAndGc().getOrDefault("app1", new double[] {0, 0})[0];
            return new Window(new Row(label, sentAt.size(), seconds, sentAt.size() / seconds, latency, "",
                    (caughtUp ? "" : missing + " not visible within 60 s after publishing; ") + "CPU " + cpu.summary()),
                    appJit);
        }
    }

    private static boolean awaitRecords(MongoCollection<Document> records, long target, Duration timeout) {
        long start = System.nanoTime();
        while (records.estimatedDocumentCount() < target) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                return false;
            }
            AppProcess.sleep(50);
        }
        return true;
    }

    /** Origin -> XADD sent to processing record's processedAt (written after the document), in microseconds. */
    private static Map<String, Long> latencyByOrigin(MongoCollection<Document> records, Map<String, Long> sentAt) {
        List<String> ids = new ArrayList<>(sentAt.keySet());
        Map<String, Long> out = new java.util.HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i += 1_000) {
            for (Document record : records.find(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + 1_000))))
                    .projection(Projections.include("processedAt"))) {
                // a BSON date (milliseconds) since records sort by it; ISO text before that
                Object stored = record.get("processedAt");
                Instant at = stored instanceof java.util.Date date ? date.toInstant() : Instant.parse(String.valueOf(stored));
                long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
                out.put(record.getString("_id"), micros - sentAt.get(record.getString("_id")));
            }
        }
        return out;
    }

    private static long[] sorted(java.util.Collection<Long> latencies) {
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** p99 per stream, the three slowest: which route falls behind first. */
    private static String slowestStreams(Map<String, Long> latencies) {
        Map<String, List<Long>> byStream = new java.util.TreeMap<>();
        latencies.forEach((origin, micros) -> byStream.computeIfAbsent(origin.substring(0, origin.lastIndexOf('/')),
                k -> new ArrayList<>()).add(micros));
        return byStream.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), sorted(e.getValue())))
                .sorted((a, b) -> Long.compare(p99(b.getValue()), p99(a.getValue())))
                .limit(3)
                .map(e -> String.format("%s p99 %.0f ms (%d)", e.getKey(), p99(e.getValue()) / 1000.0, e.getValue().length))
                .collect(Collectors.joining(", "));
    }

    /** The five seconds of publishing whose events waited longest: whether slow events come in bursts, and when. */
    private static String slowestSeconds(Map<String, Long> latencies, Map<String, Long> sentAt) {
        Map<Long, Long> worst = new java.util.HashMap<>();
        latencies.forEach((origin, micros) -> worst.merge(sentAt.get(origin) / 1_000_000, micros, Math::max));
        return worst.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(5)
                .map(e -> String.format("%s max %.0f ms", java.time.LocalTime.ofInstant(Instant.ofEpochSecond(e.getKey()),
                        java.time.ZoneId.systemDefault()), e.getValue() / 1000.0))
                .collect(Collectors.joining(", "));
    }

    private static long p99(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
    }

    /** p50 and p99 over every published event; one not visible in time counts as slower than any that was. */
    static String latency(long[] sorted, int published) {
        if (published == 0) {
            return "none published";
        }
        return "p50 " + percentile(sorted, published, 0.50) + " / p99 " + percentile(sorted, published, 0.99)
                + (sorted.length == 0 ? "" : String.format(" (max seen %.0f ms)", sorted[sorted.length - 1] / 1000.0));
    }

    private static String percentile(long[] sorted, int published, double p) {
        int rank = Math.max(1, (int) Math.ceil(p * published));
        return rank > sorted.length ? "> 60 s (not visible)" : String.format("%.1f ms", sorted[rank - 1] / 1000.0);
    }

    // ---- output

    String table() {
        StringBuilder out = new StringBuilder();
        if (!options.delay().isZero()) {
            out.append(String.format("Consumers reach Redis and MongoDB through a delaying proxy: %.1f ms each way; measured round trips: %s.%n%n",
                    options.delay().toNanos() / 1e6, roundTrips));
        }
        out.append("| phase | events | seconds | events/s | ratio to baseline | latency XADD -> visible | heap max | notes |\n");
        out.append("|---|---:|---:|---:|---:|---|---|---|\n");
        for (Row row : rows) {
            String ratio = baselineRate == null || row.phase().startsWith("raw") || row.phase().startsWith("steady") ? ""
                    : String.format("%.2fx", row.rate() / baselineRate);
            if (row.phase().startsWith("raw")) {
                ratio = "1.00x";
            }
            out.append(String.format("| %s | %d | %.1f | %.0f | %s | %s | %s | %s |%n", row.phase(), row.events(),
                    row.seconds(), row.rate(), ratio, row.latency(), row.heap(), row.notes()));
        }
        for (String note : notes) {
            out.append("\n").append(note).append('\n');
        }
        return out.toString();
    }

    static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
        System.out.flush();
    }

}
