package io.crmsync.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Each stream's lag and throughput over the last minutes, for the console's small charts: sampled from the app's own
 * meters ({@code redis.streams.lag}, {@code redis.streams.entries.acked}) every interval and kept in memory, so the
 * console needs no Prometheus. A restart starts the history again; a dashboard over Prometheus keeps the long view.
 */
public class StreamHistory {

    /** One sample of one stream and group: when, its lag, and entries acknowledged per second since the last one. */
    public record Point(long at, double lag, double ackedPerSecond) {
    }

    private record Last(long at, double acked) {
    }

    private final MeterRegistry meters;
    private final Clock clock;
    private final int capacity;
    private final Map<String, Deque<Point>> series = new LinkedHashMap<>();
    private final Map<String, Last> last = new LinkedHashMap<>();

    /** @param span how far back the history reaches; @param interval how often it is sampled */
    StreamHistory(MeterRegistry meters, Clock clock, Duration span, Duration interval) {
        this.meters = meters;
        this.clock = clock;
        this.capacity = (int) Math.max(2, span.toMillis() / interval.toMillis());
    }

    /** One sample of every stream and group the consumers report now. */
    public synchronized void sample() {
        long now = clock.millis();
        for (Gauge lag : meters.find("redis.streams.lag").gauges()) {
            String key = lag.getId().getTag("stream") + " " + lag.getId().getTag("group");
            FunctionCounter acked = meters.find("redis.streams.entries.acked").tags(lag.getId().getTags()).functionCounter();
            double total = acked == null ? 0 : acked.count();
            Last previous = last.put(key, new Last(now, total));
            double rate = previous == null || now <= previous.at() ? 0
                    : Math.max(0, total - previous.acked()) * 1000.0 / (now - previous.at());
            Deque<Point> points = series.computeIfAbsent(key, k -> new ArrayDeque<>());
            points.addLast(new Point(now, lag.value(), rate));
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
    }

    /** Stream and group ({@code "<stream> <group>"}) to its points, oldest first. */
    public synchronized Map<String, List<Point>> all() {
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        series.forEach((key, points) -> copy.put(key, new ArrayList<>(points)));
        return copy;
    }
}
