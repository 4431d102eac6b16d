package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A three-primary Redis Cluster started by the test; one route reads streams whose keys live on different shards.
 */
class ClusterIT {

    private static final List<EmbeddedRedis> nodes = new ArrayList<>();
    private static RedisClusterClient clusterClient;
    private static StatefulRedisClusterConnection<String, String> cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(EmbeddedRedis.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000"));
        }
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes());
        assertThat(create.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).as(output).isZero();
        for (EmbeddedRedis node : nodes) {
            RedisClient single = RedisClient.create(node.url());
            try (StatefulRedisConnection<String, String> c = single.connect()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> c.sync().clusterInfo().contains("cluster_state:ok"));
            } finally {
                single.shutdown();
            }
        }
        clusterClient = RedisClusterClient.create(nodes.stream().map(n -> RedisURI.create(n.url())).toList());
        cluster = clusterClient.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            clusterClient.shutdown();
        }
        nodes.forEach(EmbeddedRedis::close);
    }

    /** One key per primary: keys of one route on three different shards. */
    private static List<String> keysOnDifferentShards() {
        Map<Integer, String> byPort = new HashMap<>();
        for (int i = 0; byPort.size() < 3 && i < 1000; i++) {
            String key = "crm:sync:cluster:stream" + i;
            int port = clusterClient.getPartitions().getPartitionBySlot(SlotHash.getSlot(key)).getUri().getPort();
            byPort.putIfAbsent(port, key);
        }
        assertThat(byPort).hasSize(3);
        return new ArrayList<>(byPort.values());
    }

    @Test
    void oneRouteReadsStreamsOnDifferentShardsWithoutLosingAnything() throws Exception {
        List<String> keys = keysOnDifferentShards();
        Set<String> received = ConcurrentHashMap.newKeySet();
        CamelContext camel = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        // seeds only; the component detects the cluster itself (cluster=auto)
        component.setRedisUrl(nodes.get(0).url() + "," + nodes.get(1).url());
        camel.addComponent("redis-streams", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + String.join(",", keys) + "?group=g")
                        .process(e -> received.add(e.getIn().getHeader(RedisStreamsConstants.STREAM) + "/"
                                + e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID)));
            }
        });
        camel.start();
        try {
            for (String key : keys) {
                for (int i = 0; i < 100; i++) {
                    cluster.sync().xadd(key, Map.of("n", String.valueOf(i)));
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 300);
            await().atMost(Duration.ofSeconds(5)).until(() -> keys.stream()
                    .allMatch(k -> cluster.sync().xpending(k, "g").getCount() == 0));
        } finally {
            camel.stop();
        }
    }
}
