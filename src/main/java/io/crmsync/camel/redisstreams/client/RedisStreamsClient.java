package io.crmsync.camel.redisstreams.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce client for one Redis deployment (server, Sentinel-managed primary or cluster) that hands out
 * {@link StreamConnection}s, so the rest of the component never asks which kind it talks to.
 */
public final class RedisStreamsClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsClient.class);

    private final AbstractRedisClient client;
    private final boolean owned;
    private final String description;
    // created for this client only, so shut down with it; null for a client bean
    private final ClientResources resources;

    private RedisStreamsClient(AbstractRedisClient client, ClientResources resources, String description) {
        this.client = client;
        this.owned = resources != null;
        this.resources = resources;
        this.description = description;
    }

    /**
     * Wraps a client bean the application owns; it is not shut down by {@link #close()}.
     */
    public static RedisStreamsClient of(AbstractRedisClient client) {
        if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
            throw new IllegalArgumentException("redisClient must be a RedisClient or RedisClusterClient: " + client);
        }
        return new RedisStreamsClient(client, null, client.getClass().getSimpleName() + " bean");
    }

    /**
     * Creates a client for a URL. {@code cluster} is {@code auto}, {@code true} or {@code false}; {@code auto} asks
     * the first server with INFO cluster.
     */
    public static RedisStreamsClient create(String url, String cluster, Duration backoffMin, Duration backoffMax) {
        List<String> urls = RedisUrls.split(url);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("redisUrl is empty");
        }
        List<RedisURI> uris = urls.stream().map(RedisStreamsClient::parse).toList();
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2)
                // Lettuce reconnects by itself; keep its pace within the component's backoff bounds
                .reconnectDelay(() -> Delay.exponential(backoffMin, backoffMax, 2, TimeUnit.MILLISECONDS))
                // on by default when HdrHistogram and LatencyUtils are on the class path (Micrometer brings both): a
                // histogram update at every command, for latency events nothing here reads; route metrics time what matters
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        boolean isCluster = !RedisUrls.isSentinel(urls.get(0)) && switch (cluster == null ? "auto" : cluster) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> detectCluster(resources, uris.get(0));
            default -> throw new IllegalArgumentException("cluster must be auto, true or false: " + cluster);
        };
        String description = (isCluster ? "cluster " : "") + RedisUrls.masked(url);
        if (isCluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uris);
            clusterClient.setOptions(ClusterClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            return new RedisStreamsClient(clusterClient, resources, description);
        }
        if (uris.size() > 1) {
            throw new IllegalArgumentException("Several URLs given but Redis is not a cluster: " + RedisUrls.masked(url));
        }
        RedisClient redisClient = RedisClient.create(resources, uris.get(0));
        redisClient.setOptions(standaloneOptions());
        return new RedisStreamsClient(redisClient, resources, description);
    }

    // REJECT_COMMANDS makes calls fail fast while disconnected, so the poll loop owns backoff and state logging
    private static ClientOptions standaloneOptions() {
        return ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build();
    }

    private static boolean detectCluster(ClientResources resources, RedisURI uri) {
        RedisClient probe = RedisClient.create(resources, uri);
        try (StatefulRedisConnection<String, String> connection = probe.connect()) {
            String info = connection.sync().info("cluster");
            return info != null && info.contains("cluster_enabled:1");
        } finally {
            probe.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Lettuce's parse error quotes the whole URL, password included: rethrow it masked and without the cause. */
    private static RedisURI parse(String url) {
        try {
            return RedisURI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redisUrl " + RedisUrls.masked(url) + " is not a valid Redis URL"
                    + " (redis://[user:password@]host:port, rediss://..., redis-sentinel://host:port/0#primary)");
        }
    }

    public boolean isCluster() {
        return client instanceof RedisClusterClient;
    }

    /**
     * A new connection; the caller closes it.
     */
    public StreamConnection connect() {
        if (client instanceof RedisClusterClient clusterClient) {
            var connection = clusterClient.connect();
            return new LettuceStreamConnection(connection, connection.sync(), connection.async());
        }
        var connection = ((RedisClient) client).connect();
        return new LettuceStreamConnection(connection, connection.sync(), connection.async());
    }

    /**
     * What to show in logs and health details: the masked URL, never the password.
     */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (owned) {
            LOG.debug("Shutting down Redis client for {}", description);
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            resources.shutdown(0, 5, TimeUnit.SECONDS);
        }
    }
}
