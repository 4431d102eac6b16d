package io.crmsync.camel.redisstreams;

import java.net.InetAddress;
import java.time.Duration;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a redis-streams endpoint. The component holds one instance as defaults; each endpoint works on a
 * {@link #copy()} with its URI options applied. How to reach Redis is the component's, not an endpoint's: see
 * {@link RedisStreamsComponent}.
 */
@UriParams
public class RedisStreamsConfiguration implements Cloneable {

    // Common
    @UriParam(label = "common")
    private String group;
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

    // Producer
    @UriParam(label = "producer", defaultValue = "0")
    private long maxLen;
    @UriParam(label = "producer")
    private String fieldHeaders;

    /**
     * The consumer name when none is configured: {@code HOSTNAME} (the pod name on Kubernetes), else the local host
     * name. Stable per instance so a restarted pod drains its own pending entries.
     */
    public static String defaultConsumerName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                name = "camel";
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

    public String getGroup() {
        return group;
    }

    /**
     * The consumer group to read through; created (with the stream) when missing.
     */
    public void setGroup(String group) {
        this.group = group;
    }

    public Duration getMetricsInterval() {
        return metricsInterval;
    }

    /**
     * How often pending and lag are sampled from Redis (XPENDING, XINFO GROUPS) for the consumer's numbers.
     */
    public void setMetricsInterval(Duration metricsInterval) {
        this.metricsInterval = metricsInterval;
    }

    public String getConsumerName() {
        return consumerName;
    }

    /**
     * This instance's consumer name in the group: stable across restarts, so a restarted instance drains its own
     * pending entries. Default: env HOSTNAME (the pod name on Kubernetes), else the host name. With more than one
     * consumer thread, each is named after it with a -1, -2, ... suffix.
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
