package io.crmsync.camel.redisstreams;

import java.util.Map;

import io.crmsync.camel.redisstreams.consumer.AckBatcher;
import io.crmsync.camel.redisstreams.consumer.InFlight;
import io.crmsync.camel.redisstreams.consumer.StreamStats;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the exchange of one stream entry: its fields as the body, where it came from as headers, the ack on
 * completion, and, over the delivery cap, the failure the route's error handler takes instead of running the route.
 */
final class EntryExchanges {

    private static final Logger LOG = LoggerFactory.getLogger(EntryExchanges.class);

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration config;
    private final AckBatcher acks;
    private final InFlight inFlight;

    EntryExchanges(RedisStreamsConsumer consumer, RedisStreamsConfiguration config, AckBatcher acks, InFlight inFlight) {
        this.consumer = consumer;
        this.config = config;
        this.acks = acks;
        this.inFlight = inFlight;
    }

    Exchange create(String stream, String id, Map<String, String> fields, String consumerName, long deliveryCount,
                    StreamStats stats) {
        Exchange exchange = consumer.createExchange(false);
        Message in = exchange.getIn();
        // the read's own map, not a copy: nothing else holds it once the entry is dispatched. Nothing may change it
        // either, as the dead-letter channel's original message shares it: the parser and a dead letter copy it first
        in.setBody(fields);
        in.setHeader(RedisStreamsConstants.STREAM, stream);
        in.setHeader(RedisStreamsConstants.ENTRY_ID, id);
        in.setHeader(RedisStreamsConstants.GROUP, config.getGroup());
        in.setHeader(RedisStreamsConstants.CONSUMER, consumerName);
        in.setHeader(RedisStreamsConstants.DELIVERY_COUNT, deliveryCount);
        exchange.getExchangeExtension().addOnCompletion(new AckOnCompletion(acks, stream, id, config.getGroup(),
                consumerName, () -> inFlight.end(stream, id)));
        if (config.getMaxDeliveries() > 0 && deliveryCount > config.getMaxDeliveries()) {
            overTheCap(exchange, stream, id, deliveryCount, stats);
        }
        return exchange;
    }

    /**
     * Over the delivery cap the route is not run again: the exchange enters it already failed, so the route's error
     * handler takes it at its first step, before any processor runs. Its policy for
     * {@link MaxDeliveriesExceededException} decides what follows; with no redeliveries (as crm-sync's routes declare
     * it), a dead-letter channel gets it at once and the entry is acked.
     */
    private void overTheCap(Exchange exchange, String stream, String id, long deliveryCount, StreamStats stats) {
        LOG.warn("Entry {} of {} / {} delivered {} times (max {}); handing it to the error handler", id, stream,
                config.getGroup(), deliveryCount, config.getMaxDeliveries());
        stats.deadLettered();
        exchange.setException(new MaxDeliveriesExceededException(stream, id, deliveryCount, config.getMaxDeliveries()));
    }
}
