package io.crmsync.camel.redisstreams.client;

import java.time.Duration;
import java.util.function.Supplier;

import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * A shared connection that is opened on first use and replaced after a primary change, because Lettuce keeps a
 * connection to a demoted primary open (it answers READONLY) and only a new connection asks Sentinel again.
 */
public final class ReconnectingConnection implements StreamConnection {

    private final Supplier<StreamConnection> connector;
    private final Duration timeout;
    private volatile StreamConnection current;

    public ReconnectingConnection(Supplier<StreamConnection> connector, Duration timeout) {
        this.connector = connector;
        this.timeout = timeout;
    }

    private StreamConnection current() {
        StreamConnection c = current;
        if (c == null) {
            synchronized (this) {
                if (current == null) {
                    StreamConnection fresh = connector.get();
                    fresh.setTimeout(timeout);
                    current = fresh;
                }
                c = current;
            }
        }
        return c;
    }

    @Override
    public RedisStreamCommands<String, String> commands() {
        return current().commands();
    }

    @Override
    public RedisStreamAsyncCommands<String, String> async() {
        return current().async();
    }

    /**
     * Drops the connection when {@code e} says the server stopped being the primary; the next call reconnects.
     */
    public void onError(RuntimeException e) {
        if (RedisErrors.isRoleChange(e)) {
            reset();
        }
    }

    public synchronized void reset() {
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException ignored) {
                // the connection is being replaced anyway
            }
            current = null;
        }
    }

    @Override
    public void setTimeout(Duration timeout) {
        current().setTimeout(timeout);
    }

    @Override
    public boolean isOpen() {
        StreamConnection c = current;
        return c != null && c.isOpen();
    }

    @Override
    public void close() {
        reset();
    }
}
