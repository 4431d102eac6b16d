package io.crmsync.camel.redisstreams.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.models.stream.PendingMessage;

/**
 * How often each entry of a batch has been delivered to this consumer: XPENDING over the batch's id range. A '>' read
 * needs none (every entry is on its first delivery); a re-read of the own pending list and a reclaim do.
 */
final class DeliveryCounts {

    private DeliveryCounts() {
    }

    static Map<String, Long> of(RedisStreamCommands<String, String> commands, String stream, Consumer<String> consumer,
                                List<StreamMessage<String, String>> messages) {
        String first = messages.get(0).getId();
        String last = messages.get(messages.size() - 1).getId();
        List<PendingMessage> pending = commands.xpending(stream, XPendingArgs.Builder.xpending(consumer,
                Range.create(first, last), Limit.from(Math.max(messages.size(), 1) * 2L)));
        Map<String, Long> counts = new HashMap<>();
        for (PendingMessage p : pending) {
            counts.put(p.getId(), p.getRedeliveryCount());
        }
        // the range also holds this consumer's other pending entries, so the page may stop short of some of ours:
        // look those up one by one rather than take them for first deliveries and slip past the delivery cap
        for (StreamMessage<String, String> message : messages) {
            if (!counts.containsKey(message.getId())) {
                commands.xpending(stream, XPendingArgs.Builder.xpending(consumer,
                        Range.create(message.getId(), message.getId()), Limit.from(1)))
                        .forEach(p -> counts.put(p.getId(), p.getRedeliveryCount()));
            }
        }
        return counts;
    }
}
