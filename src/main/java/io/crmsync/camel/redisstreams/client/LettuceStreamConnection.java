package io.crmsync.camel.redisstreams.client;

import java.time.Duration;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * Stream commands of a standalone or cluster Lettuce connection; both sync APIs extend {@link RedisStreamCommands}.
 */
final class LettuceStreamConnection implements StreamConnection {

    private final StatefulConnection<String, String> connection;
    private final RedisStreamCommands<String, String> commands;
    private final RedisStreamAsyncCommands<String, String> async;

    LettuceStreamConnection(StatefulConnection<String, String> connection, RedisStreamCommands<String, String> commands,
            RedisStreamAsyncCommands<String, String> async) {
        this.connection = connection;
        this.commands = commands;
        this.async = async;
    }

    @Override
    public RedisStreamCommands<String, String> commands() {
        return commands;
    }

    @Override
    public RedisStreamAsyncCommands<String, String> async() {
        return async;
    }

    @Override
    public void setTimeout(Duration timeout) {
        connection.setTimeout(timeout);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        // idempotent, as close() is meant to be: Lettuce warns at a second close of the same connection (a client's
        // shutdown closes its connections too). A connection that is only reconnecting is closed.
        if (!(connection instanceof io.lettuce.core.RedisChannelHandler<?, ?> handler) || !handler.isClosed()) {
            connection.close();
        }
    }
}
