package io.crmsync.camel.redisstreams.consumer;

import java.util.concurrent.ScheduledExecutorService;

import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;

/**
 * Chooses the acknowledger for a configuration.
 */
public final class Acknowledgers {

    private Acknowledgers() {
    }

    /**
     * {@code ackBatchSize <= 1}: ack each entry as it completes (failed acks are retried in the background); else
     * batch by size and interval.
     */
    public static Acknowledger create(RedisStreamsConfiguration config, AckSender sender, AckListener listener,
                                      ScheduledExecutorService scheduler) {
        BatchingAcknowledger batching = new BatchingAcknowledger(sender, listener,
                Math.max(1, config.getAckBatchSize()), config.getAckInterval(), scheduler);
        if (config.getAckBatchSize() <= 1) {
            return new ImmediateAcknowledger(sender, batching, listener);
        }
        return batching;
    }
}
