package io.crmsync.stores.mongodb;

import io.crmsync.core.store.StoreCompletion;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.write.Write;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Maps the exchange's event and queues the write for the next batch, without holding a thread: the exchange goes on
 * (to its processing record and acknowledgment) once the write is durable, with the outcome in the
 * {@code syncOutcome} header, or fails with what the write failed with, for the route's error handler.
 * <p>
 * With the {@link EventExchange#PLAN_ONLY} property set, it only maps: the write becomes the body and nothing is
 * written, which is how {@code verify} and the route tests ask what an entry should have produced.
 */
final class CrmMongoProducer extends DefaultAsyncProducer {

    private final CrmMongoEndpoint endpoint;

    CrmMongoProducer(CrmMongoEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CanonicalEvent event = EventExchange.event(exchange);
        Write write;
        try {
            if (event == null) {
                throw new IllegalStateException("no canonical event on the exchange: a store endpoint follows the "
                        + "source's parsing step (process: streamEntries)");
            }
            Mapping mapping = endpoint.getComponent().getMappings().forEvent(endpoint.getMapping(), event.type());
            write = mapping.apply(event, exchange, endpoint.target(), endpoint.getComponent().getLookups());
            if (event.tenantId() == null) {
                event = withStoredTenant(event, write, exchange);
            }
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (write instanceof Write.FieldUpdate update) {
            exchange.setProperty(EventExchange.TARGET, "mongodb:" + update.collection() + "/" + update.id());
        } else if (write instanceof Write.CreditMovement movement) {
            exchange.setProperty(EventExchange.TARGET, "mongodb:" + movement.ledger() + "/" + movement.entryId(event));
        }
        if (write instanceof Write.Skip skip) {
            exchange.getMessage().setHeader(EventExchange.OUTCOME_REASON, skip.why());
        }
        if (exchange.getProperty(EventExchange.PLAN_ONLY, false, Boolean.class)) {
            exchange.getMessage().setBody(write);
            callback.done(true);
            return true;
        }
        StoreCompletion.whenWritten(exchange, callback, endpoint.getComponent().getWrites().submit(event, write));
        return false;
    }

    /**
     * A delete that names no tenant (its table lacks REPLICA IDENTITY FULL) is fenced to the tenant of the document it
     * deletes, whose key is unique in its table; with no such document the tenant cannot be known, and it is refused.
     */
    private CanonicalEvent withStoredTenant(CanonicalEvent event, Write write, Exchange exchange) {
        String tenant = write instanceof Write.FieldUpdate update && update.tombstone()
                ? endpoint.getComponent().getLookups().tenantOf(update.collection(), update.id()) : null;
        if (tenant == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "event " + event.id() + " (" + event.type()
                    + ") names no tenant, and no stored document gives it one: a delete of a table without REPLICA "
                    + "IDENTITY FULL carries only its key (ALTER TABLE ... REPLICA IDENTITY FULL)");
        }
        CanonicalEvent fenced = event.withTenant(tenant);
        EventExchange.attach(exchange, fenced);
        return fenced;
    }
}
