package io.crmsync.camel.redisstreams.consumer;

/**
 * Told how many acks Redis confirmed, for the acked counter.
 */
@FunctionalInterface
public interface AckListener {

    AckListener NONE = (stream, count) -> { };

    void acked(String stream, int count);
}
