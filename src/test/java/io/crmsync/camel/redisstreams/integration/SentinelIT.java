package io.crmsync.camel.redisstreams.integration;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * A primary, a replica and one sentinel; the consumer keeps consuming after SENTINEL FAILOVER promotes the replica.
 */
class SentinelIT {

    private static EmbeddedRedis primary;
    private static EmbeddedRedis replica;
    private static EmbeddedRedis sentinel;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        primary = EmbeddedRedis.start();
        replica = EmbeddedRedis.start("--replicaof", "127.0.0.1", String.valueOf(primary.port()));
        client = RedisClient.create();
        try (StatefulRedisConnection<String, String> r = client.connect(io.lettuce.core.RedisURI.create(replica.url()))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> r.sync().info("replication")
                    .contains("master_link_status:up"));
        }
        sentinel = EmbeddedRedis.startSentinel("crm-primary", primary.port());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        for (EmbeddedRedis redis : new EmbeddedRedis[] {sentinel, replica, primary}) {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void theConsumerFollowsTheNewPrimaryAfterAFailover() throws Exception {
        String stream = "crm:sync:user:user_created";
        Set<String> received = ConcurrentHashMap.newKeySet();
        CamelContext camel = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl("redis-sentinel://127.0.0.1:" + sentinel.port() + "/0#crm-primary");
        component.setReconnectBackoffMax(java.time.Duration.ofMillis(500));
        camel.addComponent("redis-streams", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&blockTime=300ms")
                        .process(e -> received.add(e.getIn().getBody(Map.class).get("n").toString()));
            }
        });
        camel.start();
        try (StatefulRedisConnection<String, String> oldPrimary = client.connect(io.lettuce.core.RedisURI.create(primary.url()));
             StatefulRedisConnection<String, String> newPrimary = client.connect(io.lettuce.core.RedisURI.create(replica.url()));
             StatefulRedisSentinelConnection<String, String> sentinelConnection =
                     client.connectSentinel(io.lettuce.core.RedisURI.create(sentinel.url()))) {
            for (int i = 0; i < 10; i++) {
                oldPrimary.sync().xadd(stream, Map.of("n", "before-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);

            // the sentinel learns about the replica from the primary's INFO (every few seconds): retry until it can
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> "OK".equals(sentinelConnection.sync().failover("crm-primary")));
            await().atMost(Duration.ofSeconds(20)).until(() -> ((InetSocketAddress) sentinelConnection.sync()
                    .getMasterAddrByName("crm-primary")).getPort() == replica.port()
                    && newPrimary.sync().info("replication").contains("role:master"));

            for (int i = 0; i < 10; i++) {
                newPrimary.sync().xadd(stream, Map.of("n", "after-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> newPrimary.sync().xpending(stream, "g").getCount() == 0);
        } finally {
            camel.stop();
        }
    }
}
