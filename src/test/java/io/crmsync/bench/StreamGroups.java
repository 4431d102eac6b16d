package io.crmsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;

/** What the soak reads of Redis's streams and consumer groups: which streams exist, what is pending or unread. */
final class StreamGroups {

    private StreamGroups() {
    }

    /** Every stream key (SCAN, bounded in rounds). */
    static List<String> streams(RedisCommands<String, String> redis) {
        List<String> out = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        for (int round = 0; round < 10_000 && !cursor.isFinished(); round++) {
            KeyScanCursor<String> page = redis.scan(cursor);
            page.getKeys().stream().filter(k -> "stream".equals(redis.type(k))).forEach(out::add);
            cursor = page;
        }
        return out;
    }

    /**
     * {@code stream/group} -> {pending, unread} of every consumer group of every stream; unread is 1 while the group's
     * last-delivered-id is behind the stream's last entry. Not XINFO's {@code lag}: its entries-read counter does not
     * survive a restart from the AOF (Redis 7.0 replays reads without it), and it stayed at thousands with every entry
     * delivered.
     */
    static Map<String, long[]> of(RedisCommands<String, String> redis) {
        Map<String, long[]> out = new TreeMap<>();
        for (String stream : streams(redis)) {
            String last = String.valueOf(info(redis.xinfoStream(stream)).get("last-generated-id"));
            for (Object group : redis.xinfoGroups(stream)) {
                Map<String, Object> info = info((List<?>) group);
                long pending = ((Number) info.get("pending")).longValue();
                boolean behind = compareIds(String.valueOf(info.get("last-delivered-id")), last) < 0;
                out.put(stream + "/" + info.get("name"), new long[] {pending, behind ? 1 : 0});
            }
        }
        return out;
    }

    private static Map<String, Object> info(List<?> fields) {
        Map<String, Object> info = new java.util.HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            info.put(String.valueOf(fields.get(i)), fields.get(i + 1));
        }
        return info;
    }

    /** Orders stream entry ids {@code <ms>-<seq>}. */
    static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int ms = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return ms != 0 ? ms : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    static Map<String, Long> pendingByGroup(RedisCommands<String, String> redis) {
        Map<String, Long> out = new TreeMap<>();
        of(redis).forEach((group, info) -> out.put(group, info[0]));
        return out;
    }
}
