package io.crmsync.camel.redisstreams.consumer;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.XClaimArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this consumer's claim on the entries it is still processing fresh: XCLAIM with idle time 0 and JUSTID, which
 * resets their idle time without counting a delivery. Run more often than {@code minIdleTime}, it means no consumer
 * (another instance, or this one's own reclaim) takes an entry that is merely slow, and so an outage of what the
 * route writes to, however long, never pushes healthy entries towards the delivery cap.
 */
public final class ClaimRefresher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimRefresher.class);
    private static final int CHUNK = 100;

    private final Supplier<RedisStreamCommands<String, String>> commands;
    private final Consumer<RuntimeException> onError;
    private final String group;
    // the consumer name each stream's entries are claimed for
    private final Map<String, String> consumerOfStream;
    private final InFlight inFlight;

    public ClaimRefresher(Supplier<RedisStreamCommands<String, String>> commands, Consumer<RuntimeException> onError,
                          String group, Map<String, String> consumerOfStream, InFlight inFlight) {
        this.commands = commands;
        this.onError = onError;
        this.group = group;
        this.consumerOfStream = Map.copyOf(consumerOfStream);
        this.inFlight = inFlight;
    }

    @Override
    public void run() {
        consumerOfStream.forEach((stream, consumerName) -> {
            List<String> ids = inFlight.idsOf(stream);
            for (int from = 0; from < ids.size(); from += CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                try {
                    commands.get().xclaim(stream, io.lettuce.core.Consumer.from(group, consumerName),
                            XClaimArgs.Builder.minIdleTime(0).justid(), chunk.toArray(String[]::new));
                } catch (RuntimeException e) {
                    // the next run tries again; if Redis stays away, nobody can reclaim these either
                    onError.accept(e);
                    LOG.debug("Refreshing {} claims on {} / {} failed: {}", chunk.size(), stream, group, e.toString());
                    return;
                }
            }
        });
    }
}
