package io.crmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of named processes from {@code /proc/<pid>/stat} (utime + stime, in clock ticks of 1/100 s), between
 * {@link #start()} and {@link #stop()}, plus the busiest one-second interval of each. 100% is one core; the
 * machine's total is 100% times nproc. For a JVM it also tells apart what its threads took by what they do (from
 * {@code /proc/<pid>/task/<tid>/stat}, see {@link #group}): the JIT compiler's and the garbage collector's, since a run
 * of 20-30 s is still compiling and that cost goes away in a process that runs for hours, and the app's own stages.
 */
final class CpuSampler implements AutoCloseable {

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> first = new LinkedHashMap<>();
    private final Map<String, Long> last = new LinkedHashMap<>();
    private final Map<String, Double> peak = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> threadsFirst = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> threadsLast = new LinkedHashMap<>();
    private final Map<String, Long> atMark = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> threadsAtMark = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private long startNanos;
    private long stopNanos;

    CpuSampler add(String name, long pid) {
        if (pid > 0 || pid == MACHINE) {
            pids.put(name, pid);
        }
        return this;
    }

    synchronized void start() {
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> {
            long ticks = ticks(pid);
            first.put(name, ticks);
            last.put(name, ticks);
            peak.put(name, 0.0);
            threadsFirst.put(name, threadTicks(pid));
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        pids.forEach((name, pid) -> {
            long ticks = ticks(pid);
            if (ticks >= 0 && last.get(name) >= 0) {
                peak.merge(name, (ticks - last.get(name)) / TICKS_PER_SECOND * 100.0, Math::max);
            }
            last.put(name, ticks);
        });
    }

    /**
     * Notes every process's CPU now, for {@link #microsPerEventSinceMark}: the second half of a drain, when most of the
     * JIT's compiling is done, compares two JVMs better than a whole drain from a cold start.
     */
    synchronized void mark() {
        pids.forEach((name, pid) -> {
            atMark.put(name, ticks(pid));
            threadsAtMark.put(name, threadTicks(pid));
        });
    }

    synchronized void stop() {
        stopNanos = System.nanoTime();
        if (timer != null) {
            timer.shutdownNow();
        }
        pids.forEach((name, pid) -> {
            last.put(name, ticks(pid));
            threadsLast.put(name, threadTicks(pid));
        });
    }

    double seconds() {
        return Math.max(1e-3, (stopNanos - startNanos) / 1e9);
    }

    /** name -> {JIT %, GC %} over the window, for the JVMs among the processes. */
    synchronized Map<String, double[]> jitAndGc() {
        Map<String, double[]> out = new LinkedHashMap<>();
        threadsFirst.keySet().forEach(name -> {
            long jit = threadDelta(name, JIT);
            long gc = threadDelta(name, GC);
            if (jit > 0 || gc > 0) {
                out.put(name, new double[] {jit / TICKS_PER_SECOND / seconds() * 100.0, gc / TICKS_PER_SECOND / seconds() * 100.0});
            }
        });
        return out;
    }

    /**
     * CPU per event of one process over the window, in microseconds: all of it, without its JIT compiler threads, and
     * by thread group ({@link #group}), largest first.
     */
    record PerEvent(double all, double withoutJit, Map<String, Double> byThreads) {

        static final PerEvent UNKNOWN = new PerEvent(Double.NaN, Double.NaN, Map.of());

        /** "Camel 49, writes 47, ... us" */
        String threads() {
            return byThreads.entrySet().stream().map(e -> String.format("%s %.0f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ")) + " us";
        }
    }

    synchronized PerEvent microsPerEvent(String name, long events) {
        return perEvent(first.get(name), threadsFirst.getOrDefault(name, Map.of()), name, events);
    }

    /** As {@link #microsPerEvent}, from {@link #mark()} to {@link #stop()}; UNKNOWN if never marked. */
    synchronized PerEvent microsPerEventSinceMark(String name, long events) {
        return perEvent(atMark.get(name), threadsAtMark.getOrDefault(name, Map.of()), name, events);
    }

    private PerEvent perEvent(Long a, Map<String, Long> threadsFrom, String name, long events) {
        Long b = last.get(name);
        if (a == null || b == null || a < 0 || b < 0 || events <= 0) {
            return PerEvent.UNKNOWN;
        }
        double microsPerTick = 1e6 / TICKS_PER_SECOND;
        Map<String, Long> threadsTo = threadsLast.getOrDefault(name, Map.of());
        Map<String, Double> byThreads = new LinkedHashMap<>();
        threadsTo.keySet().stream()
                .map(group -> Map.entry(group, delta(threadsFrom, threadsTo, group) * microsPerTick / events))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> byThreads.put(e.getKey(), e.getValue()));
        return new PerEvent((b - a) * microsPerTick / events,
                (b - a - delta(threadsFrom, threadsTo, JIT)) * microsPerTick / events, byThreads);
    }

    private static long delta(Map<String, Long> from, Map<String, Long> to, String group) {
        return to.getOrDefault(group, 0L) - from.getOrDefault(group, 0L);
    }

    private long threadDelta(String name, String group) {
        return delta(threadsFirst.getOrDefault(name, Map.of()), threadsLast.getOrDefault(name, Map.of()), group);
    }

    /** name -> average CPU % over the window (100 = one core). */
    synchronized Map<String, Double> averages() {
        double seconds = seconds();
        Map<String, Double> out = new LinkedHashMap<>();
        pids.keySet().forEach(name -> {
            long a = first.get(name);
            long b = last.get(name);
            out.put(name, a < 0 || b < 0 ? Double.NaN : (b - a) / TICKS_PER_SECOND / seconds * 100.0);
        });
        return out;
    }

    synchronized Map<String, Double> peaks() {
        return new LinkedHashMap<>(peak);
    }

    String summary() {
        StringBuilder out = new StringBuilder();
        Map<String, Double> peaks = peaks();
        Map<String, double[]> jitAndGc = jitAndGc();
        averages().forEach((name, avg) -> {
            out.append(out.length() > 0 ? ", " : "")
                    .append(String.format("%s %.0f%% (peak %.0f%%", name, avg, peaks.getOrDefault(name, Double.NaN)));
            double[] split = jitAndGc.get(name);
            out.append(split == null ? ")" : String.format("; JIT %.0f%%, GC %.0f%%)", split[0], split[1]));
        });
        return out.toString();
    }

    /** Pid standing for the whole machine: busy ticks of all cores from /proc/stat, so other load shows up. */
    static final long MACHINE = -2;

    static long ticks(long pid) {
        if (pid == MACHINE) {
            return machineTicks();
        }
        try {
            return cpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process's or a thread's {@code stat} line. */
    private static long cpuTicks(String stat) {
        // the command name may contain spaces: fields are counted after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static final String JIT = "JIT";
    static final String GC = "GC";

    // ZGC's threads, for a JVM run with -XX:+UseZGC (the MongoDB server's, with bench.mongoJvmArgs)
    private static final java.util.regex.Pattern Z_GC = java.util.regex.Pattern.compile(
            "Z(Worker|Driver|Director|Stat|Unmapper|Uncommitter)|RuntimeWorker");

    /**
     * What a thread of the app or of the benchmark's own loops does, by its name as {@code /proc} gives it (at most 15
     * characters): every Camel thread (the stream poll loops, the producer template, the ack flusher) shows as
     * {@code Camel (camel-1)}.
     */
    static String group(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || Z_GC.matcher(comm).lookingAt()) {
            return GC;
        }
        if (comm.startsWith("lettuce-nioEven")) {
            return "Redis I/O";
        }
        if (comm.startsWith("Camel (")) {
            return "Camel";
        }
        if (comm.startsWith("crm-sync-write") || comm.startsWith("crm-sync-postgr") || comm.startsWith("contract-write")) {
            return "writes";
        }
        if (comm.startsWith("crm-sync-comple")) {
            return "completions";
        }
        if (comm.startsWith("crm-sync-outcom")) {
            return "records and acks";
        }
        if (comm.startsWith("io.crmsync.benc")) {
            return "loop"; // exec:java's thread, which runs the in-process baselines
        }
        return "other";
    }

    /** Ticks of a JVM's threads by {@link #group}; empty for anything else. */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (pid <= 0) {
            return out;
        }
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    out.merge(group(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))), cpuTicks(stat), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read. A thread that ends within the window takes its ticks with it,
                    // so these are a lower bound; with two cores the JVM keeps one C1 and one C2 thread
                }
            });
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static long machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The pid of the redis-server listening on {@code port}, found by its command line; -1 if none. */
    static long redisPid(int port) {
        try (var dirs = Files.list(Path.of("/proc"))) {
            return dirs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    return cmd.contains("redis-server") && (cmd.contains(":" + port + " ") || cmd.contains(":" + port + "\u0020")
                            || cmd.trim().endsWith(":" + port) || cmd.contains("--port " + port + " "));
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }).mapToLong(p -> Long.parseLong(p.getFileName().toString())).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
