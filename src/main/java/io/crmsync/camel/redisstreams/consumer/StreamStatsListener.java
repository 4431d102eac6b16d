package io.crmsync.camel.redisstreams.consumer;

/**
 * Told when a consumer starts and stops counting a stream, so an application can bind the numbers to its own metrics
 * (Micrometer gauges and function counters, say) without the component depending on any metrics library.
 */
public interface StreamStatsListener {

    void started(StreamStats stats);

    void stopped(StreamStats stats);
}
