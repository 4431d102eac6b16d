package io.crmsync.ops;

import java.util.ArrayList;
import java.util.List;

import io.crmsync.camel.redisstreams.client.GroupInfo;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * Per stream and group: what users otherwise piece together from XLEN, XINFO GROUPS and XPENDING.
 */
public class StreamsStatus {

    /**
     * @param lag                entries not yet delivered to the group (XINFO lag on Redis 7; counted on 6.2)
     * @param oldestPendingId    the pending entry delivered longest ago, or null
     * @param oldestPendingIdleMs how long since that entry was last delivered
     */
    public record StreamStatus(String stream, String group, long length, int consumers, long pending, long lag,
            String lastDeliveredId, String oldestPendingId, Long oldestPendingIdleMs, String oldestPendingConsumer) {
    }

    // counting undelivered entries on Redis 6.2 reads them; stop at this many and report the bound
    private static final int LAG_COUNT_LIMIT = 100_000;

    private final OpsRedis redis;
    private final StreamCatalog catalog;

    StreamsStatus(OpsRedis redis, StreamCatalog catalog) {
        this.redis = redis;
        this.catalog = catalog;
    }

    public List<StreamStatus> all() {
        List<StreamStatus> status = new ArrayList<>();
        catalog.consumed().forEach(pair -> status.add(of(pair.stream(), pair.group())));
        return status;
    }

    StreamStatus of(String stream, String group) {
        RedisStreamCommands<String, String> commands = redis.commands();
        long length = commands.xlen(stream);
        GroupInfo info = GroupInfo.read(commands, stream, group, LAG_COUNT_LIMIT);
        if (info == null) {
            return new StreamStatus(stream, group, length, 0, 0, length, null, null, null, null);
        }
        var oldest = commands.xpending(stream, group, Range.create("-", "+"), Limit.from(1));
        var first = oldest.isEmpty() ? null : oldest.get(0);
        return new StreamStatus(stream, group, length, info.consumers(), info.pending(), info.lag(), info.lastDeliveredId(),
                first == null ? null : first.getId(),
                first == null ? null : first.getSinceLastDelivery().toMillis(),
                first == null ? null : first.getConsumer());
    }
}
