package io.crmsync.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.crmsync.camel.redisstreams.consumer.StreamStats;
import io.crmsync.camel.redisstreams.consumer.StreamStatsListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;

/**
 * The redis-streams consumers' numbers as Micrometer meters, tagged by stream and group (the names the alerts and the
 * dashboard in k8s/ use). A stopped consumer's meters are removed, so a removed route leaves no stale series.
 */
final class StreamMeters implements StreamStatsListener {

    private final MeterRegistry registry;
    private final Map<StreamStats, List<Meter>> bound = new ConcurrentHashMap<>();

    StreamMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void started(StreamStats stats) {
        Tags tags = Tags.of("stream", stats.stream(), "group", stats.group());
        bound.put(stats, List.of(
                FunctionCounter.builder("redis.streams.entries.read", stats, StreamStats::readTotal).tags(tags)
                        .description("Entries read (XREADGROUP and XAUTOCLAIM)").register(registry),
                FunctionCounter.builder("redis.streams.entries.acked", stats, StreamStats::ackedTotal).tags(tags)
                        .description("Entries acknowledged (XACK)").register(registry),
                FunctionCounter.builder("redis.streams.entries.reclaimed", stats, StreamStats::reclaimedTotal).tags(tags)
                        .description("Entries reclaimed from other consumers").register(registry),
                FunctionCounter.builder("redis.streams.entries.deadlettered", stats, StreamStats::deadLetteredTotal)
                        .tags(tags).description("Entries handed to the error handler at the delivery cap").register(registry),
                FunctionTimer.builder("redis.streams.poll.latency", stats, StreamStats::pollCount,
                        StreamStats::pollNanosTotal, TimeUnit.NANOSECONDS).tags(tags)
                        .description("XREADGROUP round trips that returned entries").register(registry),
                TimeGauge.builder("redis.streams.poll.latency.max", stats, TimeUnit.NANOSECONDS, StreamStats::pollMaxNanos)
                        .tags(tags).description("Slowest XREADGROUP of the last sampling window").register(registry),
                Gauge.builder("redis.streams.pending", stats, StreamStats::pending).tags(tags)
                        .description("Entries pending in the group").register(registry),
                Gauge.builder("redis.streams.lag", stats, StreamStats::lag).tags(tags)
                        .description("Entries not yet delivered to the group").register(registry)));
    }

    @Override
    public void stopped(StreamStats stats) {
        List<Meter> meters = bound.remove(stats);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
