package io.crmsync.ops;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;

import io.crmsync.camel.redisstreams.client.ReconnectingConnection;
import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.api.sync.RedisStringCommands;

/**
 * The ops tools' own Redis connection, through the component's client so standalone, Sentinel and cluster URLs
 * all work; opened on first use, since most instances never run an ops action. Like the consumers' connections it
 * follows a failover: a call answered by a demoted primary drops the connection, and the next call reconnects.
 */
class OpsRedis implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private RedisStreamsClient client;
    private ReconnectingConnection connection;
    private RedisStreamCommands<String, String> commands;

    OpsRedis(String url) {
        this.url = url;
    }

    @SuppressWarnings("unchecked")
    synchronized RedisStreamCommands<String, String> commands() {
        if (commands == null) {
            client = RedisStreamsClient.create(url, "auto", Duration.ofMillis(100), Duration.ofSeconds(5));
            connection = new ReconnectingConnection(client::connect, TIMEOUT);
            ReconnectingConnection reconnecting = connection;
            // every command goes through the current connection and reports its failure to it
            commands = (RedisStreamCommands<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RedisStreamCommands.class, RedisStringCommands.class, RedisKeyCommands.class},
                    (proxy, method, args) -> {
                        try {
                            return method.invoke(reconnecting.commands(), args);
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof RuntimeException failure) {
                                reconnecting.onError(failure);
                            }
                            throw e.getCause();
                        }
                    });
        }
        return commands;
    }

    /** String commands on the same connection (the connections of every Redis topology implement them). */
    @SuppressWarnings("unchecked")
    RedisStringCommands<String, String> strings() {
        return (RedisStringCommands<String, String>) commands();
    }

    @SuppressWarnings("unchecked")
    RedisKeyCommands<String, String> keys() {
        return (RedisKeyCommands<String, String>) commands();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
