package io.crmsync.persistence;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventExchange;
import org.apache.camel.Exchange;

/**
 * The routes' write endpoint: applies the exchange's {@link Write} for its event and records the outcome as a header.
 */
public class WriteStep {

    private final EventWriter writer;

    public WriteStep(EventWriter writer) {
        this.writer = writer;
    }

    public EventWriter writer() {
        return writer;
    }

    public void apply(Exchange exchange) throws Exception {
        CanonicalEvent event = EventExchange.event(exchange);
        Write write = exchange.getMessage().getMandatoryBody(Write.class);
        exchange.getMessage().setHeader(EventExchange.OUTCOME, writer.apply(event, write));
    }
}
