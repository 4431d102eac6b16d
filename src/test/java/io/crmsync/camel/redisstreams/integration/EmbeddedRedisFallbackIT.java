package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.camel.redisstreams.RedisStreamsConsumer;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The redis-server bundled in embedded-redis (6.2), used where none is installed. Also the 6.2 code paths: XAUTOCLAIM
 * without deleted-id reporting and the lag gauge without XINFO's {@code lag} field.
 */
class EmbeddedRedisFallbackIT {

    private static EmbeddedRedis redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.startWith(EmbeddedRedis.bundledBinary(), 0);
        client = RedisClient.create(redis.url());
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void theBundledBinaryIsRedis62AndServesStreams() {
        RedisCommands<String, String> redisCommands = connection.sync();
        assertThat(redis.binary()).doesNotStartWith("/usr/bin");
        assertThat(redisCommands.info("server")).contains("redis_version:6.2");
        String id = redisCommands.xadd("s:roundtrip", Map.of("a", "1"));
        assertThat(redisCommands.xrange("s:roundtrip", io.lettuce.core.Range.create("-", "+")).get(0).getId()).isEqualTo(id);
    }

    @Test
    void onRedis62IdleEntriesAreReclaimedAndLagFallsBackToCounting() throws Exception {
        RedisCommands<String, String> redisCommands = connection.sync();
        String stream = "s:v62";
        for (int i = 0; i < 10; i++) {
            redisCommands.xadd(stream, Map.of("n", String.valueOf(i)));
        }
        redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g", XGroupCreateArgs.Builder.mkstream());
        redisCommands.xreadgroup(Consumer.from("g", "dead-pod"), XReadArgs.Builder.count(4),
                XReadArgs.StreamOffset.lastConsumed(stream));

        Set<String> processed = ConcurrentHashMap.newKeySet();
        CamelContext camel = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(redis.url());
        camel.addComponent("redis-streams", component);
        // lag is sampled before anything is read: 6 entries after last-delivered-id
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&minIdleTime=500ms&reclaimInterval=200ms&metricsInterval=100ms")
                        .process(e -> processed.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });
        camel.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> processed.size() == 10);
            await().atMost(Duration.ofSeconds(5)).until(() -> redisCommands.xpending(stream, "g").getCount() == 0);
            RedisStreamsConsumer consumer = (RedisStreamsConsumer) camel.getRoutes().get(0).getConsumer();
            await().atMost(Duration.ofSeconds(5)).until(() -> consumer.getLag() == 0);
            assertThat(consumer.getReclaimedTotal()).isEqualTo(4);
        } finally {
            camel.stop();
        }
    }
}
