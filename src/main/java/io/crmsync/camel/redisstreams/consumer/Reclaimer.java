package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.models.stream.ClaimedMessages;

/**
 * Takes over entries that have been pending on any consumer of the group for {@code minIdleTime} (XAUTOCLAIM), every
 * {@code reclaimInterval}, walking the pending list with a cursor. A consumer that died leaves its entries pending;
 * this is how a live one finishes them.
 */
final class Reclaimer {

    private final String stream;
    private final Consumer<String> consumer;
    private final Duration minIdleTime;
    private final Duration interval;
    private String cursor = "0-0";
    // set by now() from another thread: the next reclaim runs at the loop's next turn, from the list's start
    private volatile boolean fromStart;
    private volatile long nextMillis;

    Reclaimer(String stream, Consumer<String> consumer, Duration minIdleTime, Duration interval) {
        this.stream = stream;
        this.consumer = consumer;
        this.minIdleTime = minIdleTime;
        this.interval = interval;
        this.nextMillis = System.currentTimeMillis() + interval.toMillis();
    }

    boolean due() {
        return System.currentTimeMillis() >= nextMillis;
    }

    /** How long a blocking read may wait before the next reclaim is due; at least 1 ms (BLOCK 0 is forever). */
    long millisUntilDue() {
        return Math.max(1, nextMillis - System.currentTimeMillis());
    }

    /** Claims up to {@code count} idle entries and schedules the next reclaim; an entry deleted meanwhile has no id. */
    List<StreamMessage<String, String>> claim(RedisStreamCommands<String, String> commands, int count) {
        if (fromStart) {
            fromStart = false;
            cursor = "0-0";
        }
        ClaimedMessages<String, String> claimed = commands.xautoclaim(stream,
                XAutoClaimArgs.Builder.<String>xautoclaim(consumer, minIdleTime, cursor).count(count));
        cursor = claimed.getId() == null ? "0-0" : claimed.getId();
        scheduleNext();
        return claimed.getMessages().stream().filter(m -> m.getId() != null).toList();
    }

    void scheduleNext() {
        nextMillis = System.currentTimeMillis() + interval.toMillis();
    }

    /** Reclaims at the loop's next turn instead of after reclaimInterval, from the start of the pending list. */
    void now() {
        fromStart = true;
        nextMillis = 0;
    }
}
