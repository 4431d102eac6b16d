package io.crmsync.camel.redisstreams.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.crmsync.camel.redisstreams.client.GroupInfo;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one stream and group. Without a registry every call is a no-op, so callers never check. Gauges hold
 * the last sample taken by {@link #sample}, run on a schedule rather than on scrape so a scrape never waits on Redis.
 */
public final class StreamMetrics {

    /** Redis 6.2 has no lag field; counting entries past last-delivered-id is capped to keep the sample cheap. */
    static final int LAG_FALLBACK_CAP = 10_000;

    private final String stream;
    private final String group;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter read;
    private final Counter acked;
    private final Counter reclaimed;
    private final Counter deadLettered;
    private final Timer pollLatency;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    public StreamMetrics(MeterRegistry registry, String stream, String group) {
        this.stream = stream;
        this.group = group;
        this.registry = registry;
        if (registry == null) {
            read = acked = reclaimed = deadLettered = null;
            pollLatency = null;
            return;
        }
        // consumer is left out of the tags: with pod names as consumers it would grow without bound
        Tags tags = Tags.of("stream", stream, "group", group);
        read = add(Counter.builder("redis.streams.entries.read").tags(tags)
                .description("Entries read from the stream (new, pending and reclaimed)").register(registry));
        acked = add(Counter.builder("redis.streams.entries.acked").tags(tags)
                .description("Entries acknowledged with XACK").register(registry));
        reclaimed = add(Counter.builder("redis.streams.entries.reclaimed").tags(tags)
                .description("Entries claimed from idle consumers with XAUTOCLAIM").register(registry));
        deadLettered = add(Counter.builder("redis.streams.entries.deadlettered").tags(tags)
                .description("Entries handed to the error handler after maxDeliveries").register(registry));
        pollLatency = add(Timer.builder("redis.streams.poll.latency").tags(tags)
                .description("Duration of XREADGROUP calls that returned entries").register(registry));
        add(Gauge.builder("redis.streams.pending", pending, AtomicLong::get).tags(tags)
                .description("Entries delivered to the group and not yet acknowledged").register(registry));
        add(Gauge.builder("redis.streams.lag", lag, AtomicLong::get).tags(tags)
                .description("Entries not yet delivered to the group").register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    public void read(int count) {
        if (read != null && count > 0) {
            read.increment(count);
        }
    }

    public void acked(int count) {
        if (acked != null) {
            acked.increment(count);
        }
    }

    public void reclaimed(int count) {
        if (reclaimed != null && count > 0) {
            reclaimed.increment(count);
        }
    }

    public void deadLettered() {
        if (deadLettered != null) {
            deadLettered.increment();
        }
    }

    public void pollLatency(long nanos) {
        if (pollLatency != null) {
            pollLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public long pending() {
        return pending.get();
    }

    public long lag() {
        return lag.get();
    }

    /**
     * Refreshes the pending and lag gauges: XPENDING summary, and XINFO GROUPS {@code lag} (Redis 7) or, when absent,
     * the entries after the group's last-delivered-id.
     */
    public void sample(RedisStreamCommands<String, String> commands) {
        pending.set(commands.xpending(stream, group).getCount());
        GroupInfo info = GroupInfo.read(commands, stream, group, LAG_FALLBACK_CAP);
        if (info != null) {
            lag.set(info.lag());
        }
    }

    /** Removes this stream's meters, so a stopped route leaves no stale series. */
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }
}
