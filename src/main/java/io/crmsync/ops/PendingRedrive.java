package io.crmsync.ops;

import java.time.Duration;
import java.util.List;

import io.crmsync.camel.redisstreams.RedisStreamsConsumer;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-drives pending entries now instead of after {@code minIdleTime}: each entry is marked as idle for a very long
 * time (XCLAIM to its own owner, JUSTID so its delivery count is unchanged, IDLE), which makes it the first thing any
 * live consumer's next reclaim takes; consumers of this instance are then asked to reclaim at once.
 */
public class PendingRedrive {

    /** What a re-drive did. */
    public record RedriveResult(String stream, String group, boolean dryRun, int entries) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PendingRedrive.class);
    // long enough to be over any minIdleTime, short enough to stay a sane number in XPENDING output
    private static final Duration MARKED_IDLE = Duration.ofDays(365);
    private static final int PAGE = 1000;

    private final OpsRedis redis;
    private final StreamCatalog catalog;
    private final CamelContext camel;
    private final Duration defaultMinIdle;

    /**
     * @param defaultMinIdle when no minimum is given: entries pending shorter than this are likely in flight on a live
     *                       instance, and re-driving them would run them twice
     */
    PendingRedrive(OpsRedis redis, StreamCatalog catalog, CamelContext camel, Duration defaultMinIdle) {
        this.redis = redis;
        this.catalog = catalog;
        this.camel = camel;
        this.defaultMinIdle = defaultMinIdle;
    }

    public Duration defaultMinIdle() {
        return defaultMinIdle;
    }

    /**
     * @param minIdle only entries pending at least this long; zero takes all, and entries in flight right now are
     *                then run a second time (the writes tolerate it; records and acknowledgments are repeated)
     */
    public List<RedriveResult> redrive(String onlyStream, Duration minIdle, boolean dryRun, String actor) {
        List<RedriveResult> results = catalog.consumed().stream()
                .filter(pair -> onlyStream == null || pair.stream().equals(onlyStream))
                .map(pair -> redrive(pair.stream(), pair.group(), minIdle, dryRun))
                .toList();
        if (onlyStream != null && results.isEmpty()) {
            throw new IllegalArgumentException("no route consumes stream " + onlyStream);
        }
        if (!dryRun) {
            for (Route route : camel.getRoutes()) {
                if (route.getConsumer() instanceof RedisStreamsConsumer consumer) {
                    consumer.reclaimNow();
                }
            }
        }
        LOG.info("Re-drive of pending entries by {}: stream {}, min idle {}, dryRun {}: {}", actor,
                onlyStream == null ? "all" : onlyStream, minIdle, dryRun, results);
        return results;
    }

    private RedriveResult redrive(String stream, String group, Duration minIdle, boolean dryRun) {
        RedisStreamCommands<String, String> commands = redis.commands();
        int count = 0;
        String start = "-";
        while (true) {
            List<PendingMessage> page = commands.xpending(stream, XPendingArgs.Builder
                    .xpending(group, Range.create(start, "+"), Limit.from(PAGE)).idle(minIdle));
            for (PendingMessage entry : page) {
                if (!dryRun) {
                    commands.xclaim(stream, Consumer.from(group, entry.getConsumer()),
                            XClaimArgs.Builder.minIdleTime(minIdle.toMillis()).justid().idle(MARKED_IDLE), entry.getId());
                }
                count++;
            }
            if (page.size() < PAGE) {
                return new RedriveResult(stream, group, dryRun, count);
            }
            start = "(" + page.get(page.size() - 1).getId();
        }
    }
}
