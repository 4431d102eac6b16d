package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * One redis-server per test class, a plain Lettuce connection to publish and inspect, and Camel contexts built per
 * test (closed after each).
 */
abstract class RedisStreamsITSupport {

    protected static EmbeddedRedis redis;
    protected static RedisClient client;
    protected static StatefulRedisConnection<String, String> connection;
    protected static RedisCommands<String, String> redisCommands;
    protected CamelContext context;

    /** Marks a test class whose server keeps its data across {@code redis.restart()} (AOF on). */
    interface PersistentRedis {
    }

    @BeforeAll
    static void startRedis(TestInfo info) {
        boolean persistent = info.getTestClass().map(PersistentRedis.class::isAssignableFrom).orElse(false);
        redis = persistent ? EmbeddedRedis.start("--appendonly", "yes", "--appendfsync", "everysec")
                : EmbeddedRedis.start();
        client = RedisClient.create(redis.url());
        connection = client.connect();
        redisCommands = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopCamel() throws Exception {
        if (context != null) {
            context.stop();
            context = null;
        }
        redisCommands.flushall();
    }

    /** A started context whose redis-streams component points at this class's server. */
    protected CamelContext startCamel(RoutesBuilder routes) throws Exception {
        context = newCamel(routes);
        context.start();
        return context;
    }

    protected CamelContext newCamel(RoutesBuilder routes) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        // the producer turns a map or list field into text with the type converters: JSON, with camel-jackson's
        camel.getGlobalOptions().put(org.apache.camel.component.jackson.JacksonConstants.ENABLE_TYPE_CONVERTER, "true");
        camel.getGlobalOptions().put(org.apache.camel.component.jackson.JacksonConstants.TYPE_CONVERTER_TO_POJO, "true");
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(redis.url());
        // tests stop and restart servers: come back within half a second
        component.setReconnectBackoffMax(java.time.Duration.ofMillis(500));
        component.getConfiguration().setGroup("crm-consumers");
        camel.addComponent("redis-streams", component);
        camel.addRoutes(routes);
        return camel;
    }

    /** The one redis-streams consumer of the running context: its numbers are what JMX and the dev console show. */
    protected io.crmsync.camel.redisstreams.RedisStreamsConsumer consumer() {
        return context.getRoutes().stream().map(r -> r.getConsumer())
                .filter(io.crmsync.camel.redisstreams.RedisStreamsConsumer.class::isInstance)
                .map(io.crmsync.camel.redisstreams.RedisStreamsConsumer.class::cast).findFirst().orElseThrow();
    }

    protected static void publish(String stream, int count) {
        for (int i = 0; i < count; i++) {
            redisCommands.xadd(stream, Map.of("n", String.valueOf(i)));
        }
    }

    protected static Map<String, String> fields(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Pipelined XADD of {@code count} entries of {@code fields}, for large backlogs. */
    protected static List<String> publishFast(String stream, int count, Map<String, String> fields) throws Exception {
        List<String> ids = new java.util.ArrayList<>(count);
        try (StatefulRedisConnection<String, String> pipe = client.connect()) {
            var async = pipe.async();
            pipe.setAutoFlushCommands(false);
            for (int from = 0; from < count; from += 1000) {
                List<io.lettuce.core.RedisFuture<String>> futures = new java.util.ArrayList<>();
                for (int i = from; i < Math.min(count, from + 1000); i++) {
                    Map<String, String> entry = new LinkedHashMap<>(fields);
                    entry.put("n", String.valueOf(i));
                    futures.add(async.xadd(stream, entry));
                }
                pipe.flushCommands();
                for (var f : futures) {
                    ids.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            }
        }
        return ids;
    }

    protected static long pending(String stream, String group) {
        return redisCommands.xpending(stream, group).getCount();
    }

    protected static List<StreamMessage<String, String>> entries(String stream) {
        return redisCommands.xrange(stream, Range.create("-", "+"));
    }
}
