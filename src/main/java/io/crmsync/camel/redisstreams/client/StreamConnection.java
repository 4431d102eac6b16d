package io.crmsync.camel.redisstreams.client;

import java.time.Duration;

import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * One Lettuce connection, standalone or cluster, seen only through its stream commands. A poll task owns one (its
 * XREADGROUP BLOCK holds the connection); acks, metrics and the producer share another.
 */
public interface StreamConnection extends AutoCloseable {

    RedisStreamCommands<String, String> commands();

    /** The same connection's asynchronous commands, to pipeline many commands in one round trip. */
    RedisStreamAsyncCommands<String, String> async();

    /** Command timeout; a polling connection needs one above its block time. */
    void setTimeout(Duration timeout);

    boolean isOpen();

    @Override
    void close();
}
