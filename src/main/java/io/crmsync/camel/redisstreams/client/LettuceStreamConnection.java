package io.crmsync.camel.redisstreams.client;

import java.time.Duration;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * Stream commands of a standalone or cluster Lettuce connection; both sync APIs extend {@link RedisStreamCommands}.
 */
final class LettuceStreamConnection implements StreamConnection {

    private final StatefulConnection<String, String> connection;
    private final RedisStreamCommands<String, String> commands;

    LettuceStreamConnection(StatefulConnection<String, String> connection, RedisStreamCommands<String, String> commands) {
        this.connection = connection;
        this.commands = commands;
    }

    @Override
    public RedisStreamCommands<String, String> commands() {
        return commands;
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
        connection.close();
    }
}
