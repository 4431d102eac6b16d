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
 * machine's total is 100% times nproc.
 */
final class CpuSampler implements AutoCloseable {

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> first = new LinkedHashMap<>();
    private final Map<String, Long> last = new LinkedHashMap<>();
    private final Map<String, Double> peak = new LinkedHashMap<>();
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

    synchronized void stop() {
        stopNanos = System.nanoTime();
        if (timer != null) {
            timer.shutdownNow();
        }
        pids.forEach((name, pid) -> last.put(name, ticks(pid)));
    }

    /** name -> average CPU % over the window (100 = one core). */
    synchronized Map<String, Double> averages() {
        double seconds = Math.max(1e-3, (stopNanos - startNanos) / 1e9);
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
        averages().forEach((name, avg) -> out.append(out.length() > 0 ? ", " : "")
                .append(String.format("%s %.0f%% (peak %.0f%%)", name, avg, peaks.getOrDefault(name, Double.NaN))));
        return out.toString();
    }

    /** Pid standing for the whole machine: busy ticks of all cores from /proc/stat, so other load shows up. */
    static final long MACHINE = -2;

    static long ticks(long pid) {
        if (pid == MACHINE) {
            return machineTicks();
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name may contain spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
