package io.crmsync.camel.redisstreams.consumer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.crmsync.camel.redisstreams.client.GroupInfo;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * The numbers of one stream and group, as a running consumer counts them: entries read, acked, reclaimed and handed
 * over at the delivery cap; XREADGROUP latency; and pending and lag, sampled from Redis every {@code metricsInterval}.
 * Plain Java, so the component needs no metrics library: the consumer's JMX attributes and the redis-streams dev
 * console read them, and an application binds them to its own meters through a {@link StreamStatsListener}.
 */
public final class StreamStats {

    // the lag fallback (Redis before 7) counts at most this many entries after the group's last delivered id
    static final int LAG_FALLBACK_CAP = 10_000;

    private final String stream;
    private final String group;
    private final LongAdder read = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder pollNanos = new LongAdder();
    // the slowest poll since the last sample, and the one before: what a scrape between two samples sees
    private final AtomicLong pollMaxNanos = new AtomicLong();
    private volatile long lastPollMaxNanos;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    public StreamStats(String stream, String group) {
        this.stream = stream;
        this.group = group;
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public void read(int count) {
        read.add(count);
    }

    public void acked(int count) {
        acked.add(count);
    }

    public void reclaimed(int count) {
        reclaimed.add(count);
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void pollLatency(long nanos) {
        polls.increment();
        pollNanos.add(nanos);
        pollMaxNanos.accumulateAndGet(nanos, Math::max);
    }

    /**
     * Refreshes pending (XPENDING summary) and lag (XINFO GROUPS {@code lag} on Redis 7, else the entries after the
     * group's last-delivered-id), and starts a new window for the slowest poll.
     */
    public void sample(RedisStreamCommands<String, String> commands) {
        pending.set(commands.xpending(stream, group).getCount());
        GroupInfo info = GroupInfo.read(commands, stream, group, LAG_FALLBACK_CAP);
        if (info != null) {
            lag.set(info.lag());
        }
        lastPollMaxNanos = pollMaxNanos.getAndSet(0);
    }

    public long readTotal() {
        return read.sum();
    }

    public long ackedTotal() {
        return acked.sum();
    }

    public long reclaimedTotal() {
        return reclaimed.sum();
    }

    public long deadLetteredTotal() {
        return deadLettered.sum();
    }

    public long pollCount() {
        return polls.sum();
    }

    public long pollNanosTotal() {
        return pollNanos.sum();
    }

    /** The slowest XREADGROUP of the current or the last sampling window. */
    public long pollMaxNanos() {
        return Math.max(pollMaxNanos.get(), lastPollMaxNanos);
    }

    public long pending() {
        return pending.get();
    }

    public long lag() {
        return lag.get();
    }

    @Override
    public String toString() {
        return stream + " / " + group + ": read " + readTotal() + ", acked " + ackedTotal() + ", reclaimed "
                + reclaimedTotal() + ", dead-lettered " + deadLetteredTotal() + ", pending " + pending() + ", lag " + lag();
    }
}
