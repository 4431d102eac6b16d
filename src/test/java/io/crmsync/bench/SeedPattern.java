package io.crmsync.bench;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The seed guide's consumer pattern, the loop teams write by hand: one entry at a time, XREADGROUP COUNT 1, its
 * write, then its XACK, each waiting for the one before. Three round trips per event, so its rate is set by the
 * network's latency, not by the servers; the raw baseline's parsing and writes, so only the pattern differs.
 */
final class SeedPattern extends RawBaseline {

    SeedPattern(RedisCommands<String, String> redis, MongoDatabase db, Map<String, String> streamGroups) {
        super(redis, db, streamGroups);
    }

    /** Stream after stream, each until it is empty: a drained stream costs no empty reads. */
    @Override
    long drain() {
        createGroups();
        long done = 0;
        for (Map.Entry<String, String> sg : streamGroups.entrySet()) {
            while (batch(sg.getKey(), sg.getValue()) > 0) {
                progress.accept(++done);
            }
        }
        return done;
    }

    @Override
    int batch(String stream, String group) {
        List<StreamMessage<String, String>> messages = redis.xreadgroup(Consumer.from(group, "seed"),
                XReadArgs.Builder.count(1), StreamOffset.lastConsumed(stream));
        if (messages.isEmpty()) {
            return 0;
        }
        write(stream, messages);
        redis.xack(stream, group, messages.get(0).getId());
        return 1;
    }
}
