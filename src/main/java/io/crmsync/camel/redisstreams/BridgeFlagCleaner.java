package io.crmsync.camel.redisstreams;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailureHandlingEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Removes the error-handler bridge flag from a delivery-cap exchange once the error handler has taken it, just
 * before the failure processor (dead-letter channel) runs.
 * <p>
 * Why: the flag tells the route's first error handler to handle the exchange without running the route, but Camel
 * leaves it set. A dead-letter endpoint that is itself a route (e.g. {@code direct:dead-letter}) would then see a
 * "bridged" exchange with no exception and its error handler fails with a NullPointerException, so the entry would
 * never be acked.
 */
final class BridgeFlagCleaner extends EventNotifierSupport {

    /** Exchange property set on exchanges handed to the error handler over the delivery cap. */
    static final String MARKER = "CamelRedisStreamsMaxDeliveriesExceeded";

    BridgeFlagCleaner() {
        // only failure-handling events (counted as "failed" events) are of interest; skip building all the others
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeFailureHandlingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeFailureHandlingEvent) event).getExchange();
        if (exchange.getProperty(MARKER) != null) {
            exchange.removeProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE);
        }
    }
}
