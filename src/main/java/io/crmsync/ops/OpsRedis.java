package io.crmsync.ops;

import java.time.Duration;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.StreamConnection;
import io.lettuce.core.api.sync.RedisStreamCommands;

/**
 * The ops tools' own Redis connection, through the component's client so standalone, Sentinel and cluster URLs
 * all work; opened on first use, since most instances never run an ops action.
 */
class OpsRedis implements AutoCloseable {

    private final String url;
    private RedisStreamsClient client;
    private StreamConnection connection;

    OpsRedis(String url) {
        this.url = url;
    }

    synchronized RedisStreamCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            if (client == null) {
                client = RedisStreamsClient.create(url, "auto", Duration.ofMillis(100), Duration.ofSeconds(5));
            }
            connection = client.connect();
        }
        return connection.commands();
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
