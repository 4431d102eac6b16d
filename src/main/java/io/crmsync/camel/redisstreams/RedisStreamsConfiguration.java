package io.crmsync.camel.redisstreams;

import java.net.InetAddress;
import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Every option of the redis-streams component and its endpoints. The component holds one instance as defaults; each
 * endpoint works on a {@link #copy()} with its URI options applied.
 */
@UriParams
public class RedisStreamsConfiguration implements Cloneable {

    // Common
    @UriParam(label = "common", defaultValue = "redis://localhost:6379", secret = true)
    private String redisUrl = "redis://localhost:6379";
    @UriParam(label = "common,advanced")
    private AbstractRedisClient redisClient;
    @UriParam(label = "common", defaultValue = "auto", enums = "auto,true,false")
    private String cluster = "auto";
    @UriParam(label = "common", defaultValue = "crm-consumers")
    private String group = "crm-consumers";
    @UriParam(label = "common,advanced")
    private MeterRegistry meterRegistry;
    @UriParam(label = "common,advanced", defaultValue = "15s", javaType = "java.time.Duration")
    private Duration metricsInterval = Duration.ofSeconds(15);

    // Consumer
    @UriParam(label = "consumer")
    private String consumerName = defaultConsumerName();
    @UriParam(label = "consumer", defaultValue = "0")
    private String startId = "0";
    @UriParam(label = "consumer", defaultValue = "100")
    private int batchSize = 100;
    @UriParam(label = "consumer", defaultValue = "2s", javaType = "java.time.Duration")
    private Duration blockTime = Duration.ofSeconds(2);
    @UriParam(label = "consumer", defaultValue = "1")
    private int consumersCount = 1;
    @UriParam(label = "consumer", defaultValue = "1000")
    private int maxInFlight = 1000;
    @UriParam(label = "consumer", defaultValue = "60s", javaType = "java.time.Duration")
    private Duration minIdleTime = Duration.ofSeconds(60);
    @UriParam(label = "consumer", defaultValue = "30s", javaType = "java.time.Duration")
    private Duration reclaimInterval = Duration.ofSeconds(30);
    @UriParam(label = "consumer", defaultValue = "5")
    private int maxDeliveries = 5;
    @UriParam(label = "consumer", defaultValue = "100")
    private int ackBatchSize = 100;
    @UriParam(label = "consumer", defaultValue = "100ms", javaType = "java.time.Duration")
    private Duration ackInterval = Duration.ofMillis(100);
    @UriParam(label = "consumer", defaultValue = "30s", javaType = "java.time.Duration")
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean deleteConsumerOnStop = true;
    @UriParam(label = "consumer,advanced", defaultValue = "100ms", javaType = "java.time.Duration")
    private Duration reconnectBackoffMin = Duration.ofMillis(100);
    @UriParam(label = "consumer,advanced", defaultValue = "10s", javaType = "java.time.Duration")
    private Duration reconnectBackoffMax = Duration.ofSeconds(10);

    // Producer
    @UriParam(label = "producer", defaultValue = "0")
    private long maxLen;
    @UriParam(label = "producer")
    private String fieldHeaders;

    /**
     * The consumer name when none is configured: {@code CRM_SYNC_CONSUMER_NAME}, else {@code HOSTNAME} (the pod name on
     * Kubernetes), else the local host name. Stable per instance so a restarted pod drains its own pending entries.
     */
    public static String defaultConsumerName() {
        String name = System.getenv("CRM_SYNC_CONSUMER_NAME");
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                name = "crm-sync";
            }
        }
        return name;
    }

    public RedisStreamsConfiguration copy() {
        try {
            return (RedisStreamsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getRedisUrl() {
        return redisUrl;
    }

    /**
     * Where Redis is: {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS,
     * {@code redis-sentinel://host:port[,host:port]/0#primaryName} for Sentinel, or comma-separated {@code redis://}
     * seeds for a cluster. Secret: it may hold a password, and is never logged unmasked.
     */
    public void setRedisUrl(String redisUrl) {
        this.redisUrl = redisUrl;
    }

    public AbstractRedisClient getRedisClient() {
        return redisClient;
    }

    /**
     * A Lettuce {@code RedisClient} or {@code RedisClusterClient} to use instead of {@code redisUrl}. The component
     * does not shut it down.
     */
    public void setRedisClient(AbstractRedisClient redisClient) {
        this.redisClient = redisClient;
    }

    public String getCluster() {
        return cluster;
    }

    /**
     * Whether Redis is a cluster: {@code auto} asks the server ({@code INFO cluster}), {@code true} or {@code false}
     * skip the question.
     */
    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getGroup() {
        return group;
    }

    /**
     * The consumer group to read through; created (with the stream) when missing.
     */
    public void setGroup(String group) {
        this.group = group;
    }

    public MeterRegistry getMeterRegistry() {
        return meterRegistry;
    }

    /**
     * The Micrometer registry for the component's meters; by default the single one found in the Camel registry.
     */
    public void setMeterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    public Duration getMetricsInterval() {
        return metricsInterval;
    }

    /**
     * How often the pending and lag gauges are sampled from Redis (XPENDING, XINFO GROUPS).
     */
    public void setMetricsInterval(Duration metricsInterval) {
        this.metricsInterval = metricsInterval;
    }

    public String getConsumerName() {
        return consumerName;
    }

    /**
     * This instance's consumer name in the group. Default: env {@code CRM_SYNC_CONSUMER_NAME}, else {@code HOSTNAME},
     * else the host name. With {@code consumersCount} > 1 the threads are named {@code <consumerName>-<i>}.
     */
    public void setConsumerName(String consumerName) {
        this.consumerName = consumerName;
    }

    public String getStartId() {
        return startId;
    }

    /**
     * Where a newly created group starts: {@code 0} (the whole stream) or {@code $} (only new entries).
     */
    public void setStartId(String startId) {
        this.startId = startId;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Maximum entries per XREADGROUP / XAUTOCLAIM call.
     */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getBlockTime() {
        return blockTime;
    }

    /**
     * How long one XREADGROUP waits for new entries.
     */
    public void setBlockTime(Duration blockTime) {
        this.blockTime = blockTime;
    }

    public int getConsumersCount() {
        return consumersCount;
    }

    /**
     * Poll threads per stream, each a consumer of the group with its own connection.
     */
    public void setConsumersCount(int consumersCount) {
        this.consumersCount = consumersCount;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /**
     * Upper bound on entries read but not yet completed, per endpoint. Reading pauses while it is reached, which
     * keeps memory bounded whatever the backlog.
     */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Duration getMinIdleTime() {
        return minIdleTime;
    }

    /**
     * An entry pending on any consumer for longer than this is reclaimed (XAUTOCLAIM) by this one.
     */
    public void setMinIdleTime(Duration minIdleTime) {
        this.minIdleTime = minIdleTime;
    }

    public Duration getReclaimInterval() {
        return reclaimInterval;
    }

    /**
     * How often idle entries of the group are reclaimed.
     */
    public void setReclaimInterval(Duration reclaimInterval) {
        this.reclaimInterval = reclaimInterval;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    /**
     * An entry delivered more often than this is not processed again but handed to the route's error handler with a
     * {@link MaxDeliveriesExceededException} (reason {@code max-deliveries}). 0 disables the cap.
     */
    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public int getAckBatchSize() {
        return ackBatchSize;
    }

    /**
     * Acks per XACK call; 1 acks every entry as it completes.
     */
    public void setAckBatchSize(int ackBatchSize) {
        this.ackBatchSize = ackBatchSize;
    }

    public Duration getAckInterval() {
        return ackInterval;
    }

    /**
     * Longest time a completed entry waits for its batched XACK.
     */
    public void setAckInterval(Duration ackInterval) {
        this.ackInterval = ackInterval;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * How long a stopping consumer waits for in-flight exchanges before closing.
     */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isDeleteConsumerOnStop() {
        return deleteConsumerOnStop;
    }

    /**
     * On a clean stop, remove this consumer from its groups when it holds no pending entry, so consumers named after
     * pods that scaled away do not pile up in XINFO CONSUMERS. One that still holds entries is kept: deleting it
     * would drop them from the pending list, and a live consumer must reclaim them instead.
     */
    public void setDeleteConsumerOnStop(boolean deleteConsumerOnStop) {
        this.deleteConsumerOnStop = deleteConsumerOnStop;
    }

    public Duration getReconnectBackoffMin() {
        return reconnectBackoffMin;
    }

    /**
     * First wait after a failed Redis call; doubled on each further failure.
     */
    public void setReconnectBackoffMin(Duration reconnectBackoffMin) {
        this.reconnectBackoffMin = reconnectBackoffMin;
    }

    public Duration getReconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    /**
     * Longest wait between attempts to reach Redis.
     */
    public void setReconnectBackoffMax(Duration reconnectBackoffMax) {
        this.reconnectBackoffMax = reconnectBackoffMax;
    }

    public long getMaxLen() {
        return maxLen;
    }

    /**
     * Producer: trim the stream to about this many entries on each XADD ({@code MAXLEN ~}); 0 never trims.
     */
    public void setMaxLen(long maxLen) {
        this.maxLen = maxLen;
    }

    public String getFieldHeaders() {
        return fieldHeaders;
    }

    /**
     * Producer: comma-separated header names written as fields too (or alone, when the body is not a Map).
     */
    public void setFieldHeaders(String fieldHeaders) {
        this.fieldHeaders = fieldHeaders;
    }
}
