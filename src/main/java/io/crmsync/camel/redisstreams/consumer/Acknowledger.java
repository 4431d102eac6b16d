package io.crmsync.camel.redisstreams.consumer;

/**
 * Acknowledges completed entries of one consumer group. Implementations never drop an ack: one that cannot be sent
 * now is retried, since XACK of an already acked id is harmless.
 */
public interface Acknowledger extends AutoCloseable {

    void ack(String stream, String id);

    /**
     * Sends every queued ack now; returns false if some could not be sent (they stay queued).
     */
    boolean flush();

    /** Number of acks not yet confirmed by Redis. */
    int queued();

    /** Flushes, then stops any background flushing. */
    @Override
    void close();
}
