package io.crmsync.camel.redisstreams.consumer;

import java.util.Map;

/**
 * Turns one stream entry into an exchange and runs it. Implemented by the Camel consumer so the poll loop stays free
 * of Camel types.
 */
@FunctionalInterface
public interface EntryProcessor {

    /**
     * @param consumerName  the group consumer that holds the entry
     * @param deliveryCount deliveries so far, this one included
     * @param done          must be called exactly once, when the exchange is complete (whatever its outcome)
     */
    void process(String stream, String id, Map<String, String> fields, String consumerName, long deliveryCount,
                 Runnable done);
}
