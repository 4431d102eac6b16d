package io.crmsync.camel.redisstreams.client;

import java.util.List;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * One consumer group of one stream, as XINFO GROUPS describes it, with its lag: Redis 7 reports {@code lag}; on 6.2
 * it is the entries after the group's last-delivered-id, counted up to a bound the caller chooses (counting reads
 * them).
 */
public record GroupInfo(int consumers, long pending, String lastDeliveredId, long lag) {

    /** The group, or null when the stream or the group does not exist. */
    public static GroupInfo read(RedisStreamCommands<String, String> commands, String stream, String group, int lagCountCap) {
        List<Object> groups;
        try {
            groups = commands.xinfoGroups(stream);
        } catch (RedisCommandExecutionException e) {
            return null; // ERR no such key
        }
        for (Object raw : groups) {
            if (raw instanceof List<?> fields && group.equals(String.valueOf(value(fields, "name")))) {
                String lastDelivered = String.valueOf(value(fields, "last-delivered-id"));
                long lag = value(fields, "lag") instanceof Number number ? number.longValue()
                        : commands.xrange(stream, Range.from(Range.Boundary.excluding(lastDelivered), Range.Boundary.unbounded()),
                                Limit.from(lagCountCap)).size();
                return new GroupInfo(((Number) value(fields, "consumers")).intValue(),
                        ((Number) value(fields, "pending")).longValue(), lastDelivered, lag);
            }
        }
        return null;
    }

    private static Object value(List<?> fields, String key) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (key.equals(String.valueOf(fields.get(i)))) {
                return fields.get(i + 1);
            }
        }
        return null;
    }
}
