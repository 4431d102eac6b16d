package io.crmsync.core.store;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Write;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Every store endpoint's producer: maps the exchange's event and queues the store's write for its next batch, without
 * holding a thread. The exchange goes on (to its processing record and acknowledgment) once the write is durable,
 * with the outcome in the {@code syncOutcome} header, or fails with what the write failed with, for the route's error
 * handler.
 * <p>
 * A skipped event writes nothing and goes on at once, {@code SKIPPED}. With {@link EventExchange#PLAN_ONLY} set, it
 * only maps: the body becomes a {@link PlannedWrite} and nothing is written, which is how {@code verify} asks what an
 * entry should have produced. What the mapping's evaluation would otherwise change (the entity key on the exchange,
 * a repair's relinked records) is done here, not by the mapping.
 */
public class StoreProducer<P> extends DefaultAsyncProducer {

    private final StoreEndpoint<P> endpoint;
    // the mappings chosen by type that passed the target's check, as loaded: compared by identity, so a reload checks
    private final Map<String, Mapping> checked = new ConcurrentHashMap<>();

    public StoreProducer(StoreEndpoint<P> endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.checkInStore();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CanonicalEvent event = EventExchange.event(exchange);
        boolean planOnly = exchange.getProperty(EventExchange.PLAN_ONLY, false, Boolean.class);
        Write write;
        P planned;
        try {
            if (event == null) {
                throw new IllegalStateException("no canonical event on the exchange: a store endpoint follows the "
                        + "source's parsing step (process: streamEntries)");
            }
            Mapping mapping = mappingFor(event);
            boolean repair = exchange.getProperty(EventExchange.RELINK, false, Boolean.class);
            write = mapping.screen(event, exchange);
            if (write == null) {
                String key = mapping.key(event, exchange);
                // the processing record names the entity even when a later step fails
                exchange.setProperty(EventExchange.ENTITY_KEY, key);
                Mapping.Plan plan = mapping.plan(event, exchange, key, endpoint.target(), endpoint.directory(), repair);
                plan.relinks().forEach(relink -> endpoint.directory().relink(relink.tenantId(), relink.collection(),
                        relink.where(), relink.values()));
                write = plan.write();
            }
            CanonicalEvent fenced = fenced(event, write);
            if (fenced != event) {
                EventExchange.attach(exchange, fenced);
                event = fenced;
            }
            if (write instanceof Write.Skip skip) {
                exchange.getMessage().setHeader(EventExchange.OUTCOME_REASON, skip.why());
                exchange.getMessage().setHeader(EventExchange.OUTCOME, Outcome.SKIPPED);
                if (planOnly) {
                    exchange.getMessage().setBody(PlannedWrite.skipped(skip));
                }
                callback.done(true);
                return true;
            }
            planned = endpoint.plan(event, write, repair);
            exchange.setProperty(EventExchange.TARGET, endpoint.location(planned));
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (planOnly) {
            P toVerify = planned;
            exchange.getMessage().setBody(new PlannedWrite(write, () -> endpoint.verify(toVerify)));
            callback.done(true);
            return true;
        }
        StoreCompletion.whenWritten(exchange, callback, endpoint.submit(planned));
        return false;
    }

    /**
     * The event with the tenant every write is fenced to. A delete that names none (its captured table lacks REPLICA
     * IDENTITY FULL, so it carries only its key) takes the tenant of the record it deletes, whose key is unique in its
     * table; without such a record the tenant cannot be known, and the event is refused rather than written unfenced
     * (a NOT NULL tenant column would refuse it anyway, later and less clearly). Before a skip is honoured: an event
     * without a tenant is refused whatever its mapping.
     */
    private CanonicalEvent fenced(CanonicalEvent event, Write write) {
        if (event.tenantId() != null) {
            return event;
        }
        String tenant = write instanceof Write.FieldUpdate update && update.tombstone()
                ? endpoint.directory().tenantOf(update.collection(), update.id()) : null;
        if (tenant == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "event " + event.id() + " (" + event.type()
                    + ") names no tenant, and no stored record gives it one: a delete of a table without REPLICA "
                    + "IDENTITY FULL carries only its key (ALTER TABLE ... REPLICA IDENTITY FULL)");
        }
        return event.withTenant(tenant);
    }

    /** The mapping the endpoint's {@code mapping} option names, or else the one declaring the event's type. */
    private Mapping mappingFor(CanonicalEvent event) {
        String named = endpoint.getMapping() == null || endpoint.getMapping().isBlank() ? null : endpoint.getMapping();
        Mapping mapping = endpoint.mappings().forEvent(named, event.type());
        // a mapping chosen by type meets this target only now; checked once per mapping as loaded (a reload is new)
        if (named == null && checked.get(mapping.id()) != mapping) {
            endpoint.check(mapping);
            checked.put(mapping.id(), mapping);
        }
        return mapping;
    }
}
