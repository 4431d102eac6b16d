package io.crmsync.camel.redisstreams;

import java.time.Duration;
import java.util.Map;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.consumer.StreamStatsListener;
import io.lettuce.core.AbstractRedisClient;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;

/**
 * Reads Redis Streams through consumer groups with at-least-once delivery, and appends to them (XADD).
 * <p>
 * URI: {@code redis-streams:key1[,key2...][?options]}. Keys may contain colons. How to reach Redis (URL or client,
 * cluster, reconnect backoff) is the component's: all its endpoints share one Lettuce client, which it closes when it
 * stops. Another Redis is another component instance, under another name.
 */
@org.apache.camel.spi.annotations.Component("redis-streams")
public class RedisStreamsComponent extends HealthCheckComponent {

    @Metadata(label = "common", defaultValue = "redis://localhost:6379", secret = true,
              description = "Where Redis is: a redis:// URL (with user and password before the host for an ACL user, and "
                            + "a database number after it), rediss:// for TLS, redis-sentinel://host:port/0#primaryName for "
                            + "Sentinel, or comma-separated redis:// seeds of a cluster. Secret: it may hold a password.")
    private String redisUrl = "redis://localhost:6379";
    @Metadata(label = "common,advanced", description = "A Lettuce RedisClient or RedisClusterClient to use instead of "
                                                       + "redisUrl; the component does not shut it down.")
    private AbstractRedisClient redisClient;
    @Metadata(label = "common", defaultValue = "auto", enums = "auto,true,false",
              description = "Whether Redis is a cluster: auto asks the server (INFO cluster); true or false skip the question.")
    private String cluster = "auto";
    @Metadata(label = "common,advanced", defaultValue = "100ms", javaType = "java.time.Duration",
              description = "First wait after a failed Redis call; doubled on each further failure.")
    private Duration reconnectBackoffMin = Duration.ofMillis(100);
    @Metadata(label = "common,advanced", defaultValue = "10s", javaType = "java.time.Duration",
              description = "Longest wait between attempts to reach Redis.")
    private Duration reconnectBackoffMax = Duration.ofSeconds(10);
    @Metadata(label = "advanced", description = "Told when a consumer starts and stops counting a stream, to bind the "
                                                + "numbers to an application's metrics (the component needs no metrics library).")
    private StreamStatsListener statsListener;
    @Metadata(label = "advanced", description = "Asked before a consumer reads: while it names something to wait for "
                                                + "(the store its route writes to, say), the route runs but its consumer "
                                                + "reads nothing, and asks again every second.")
    private StartCondition startCondition;
    @Metadata(description = "Defaults of every endpoint's options; URI options override them per endpoint.")
    private RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();

    // one client for every endpoint: an XREADGROUP BLOCK needs its own connection, not its own client
    private volatile RedisStreamsClient client;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ObjectHelper.isEmpty(remaining)) {
            throw new IllegalArgumentException("A stream key is required: redis-streams:key[,key...]");
        }
        RedisStreamsEndpoint endpoint = new RedisStreamsEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The component's client, made at first use. */
    RedisStreamsClient client() {
        RedisStreamsClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = redisClient != null ? RedisStreamsClient.of(redisClient)
                            : RedisStreamsClient.create(redisUrl, cluster, reconnectBackoffMin, reconnectBackoffMax);
                }
                current = client;
            }
        }
        return current;
    }

    @Override
    protected void doStop() throws Exception {
        RedisStreamsClient current = client;
        client = null;
        if (current != null) {
            current.close();
        }
        super.doStop();
    }

    public String getRedisUrl() {
        return redisUrl;
    }

    public void setRedisUrl(String redisUrl) {
        this.redisUrl = redisUrl;
    }

    public AbstractRedisClient getRedisClient() {
        return redisClient;
    }

    public void setRedisClient(AbstractRedisClient redisClient) {
        this.redisClient = redisClient;
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public Duration getReconnectBackoffMin() {
        return reconnectBackoffMin;
    }

    public void setReconnectBackoffMin(Duration reconnectBackoffMin) {
        this.reconnectBackoffMin = reconnectBackoffMin;
    }

    public Duration getReconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    public void setReconnectBackoffMax(Duration reconnectBackoffMax) {
        this.reconnectBackoffMax = reconnectBackoffMax;
    }

    public StreamStatsListener getStatsListener() {
        return statsListener;
    }

    public void setStatsListener(StreamStatsListener statsListener) {
        this.statsListener = statsListener;
    }

    public StartCondition getStartCondition() {
        return startCondition;
    }

    public void setStartCondition(StartCondition startCondition) {
        this.startCondition = startCondition;
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }
}
