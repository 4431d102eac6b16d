package io.crmsync.stores.postgres;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.store.StoreCompletion;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Write;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Maps the exchange's event and queues the write for the next transaction, without holding a thread: the exchange
 * goes on once the transaction has committed, with the outcome in the {@code syncOutcome} header, or fails with what
 * the write failed with, for the route's error handler. With {@link EventExchange#PLAN_ONLY} set it only maps, and
 * the body becomes a write that {@code verify} can check against the table.
 */
final class CrmPostgresProducer extends DefaultAsyncProducer {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrmPostgresProducer.class);

    private final CrmPostgresEndpoint endpoint;

    CrmPostgresProducer(CrmPostgresEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PostgresStore store = endpoint.getComponent().getStore();
        if (store != null) {
            try {
                TableSchema.check(store.dataSource(), endpoint.target(), mapping());
            } catch (java.sql.SQLException e) {
                if (!PostgresStore.isTransient(e)) {
                    throw e;
                }
                // the database is away: the route starts, its events wait pending, and the check runs once it answers
                LOG.warn("Cannot check table {} of {} now ({}): PostgreSQL is unreachable; checked once it answers",
                        endpoint.getTable(), endpoint.getEndpointUri(), e.getMessage());
                store.deferCheck(endpoint.getTable(), () -> TableSchema.check(store.dataSource(), endpoint.target(),
                        mapping()));
            }
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        PostgresStore store = endpoint.getComponent().getStore();
        TableWrites.Request request;
        try {
            if (store == null) {
                throw new IllegalStateException(endpoint.getEndpointUri() + " has no database: set crm.postgres.url "
                        + "(LEADS_DATABASE_URL)");
            }
            CanonicalEvent event = EventExchange.event(exchange);
            Write write = endpoint.getComponent().getMappings().forEvent(endpoint.getMapping(), event.type()).apply(event, exchange, new Mapping.Target(endpoint.getTable(), null),
                    store.directory(endpoint.getTenantColumn()));
            if (write instanceof Write.Skip skip) {
                exchange.getMessage().setHeader(EventExchange.OUTCOME_REASON, skip.why());
                exchange.getMessage().setHeader(EventExchange.OUTCOME, Outcome.SKIPPED);
                exchange.getMessage().setBody(write);
                callback.done(true);
                return true;
            }
            request = new TableWrites.Request(endpoint.target(), event, (Write.FieldUpdate) write,
                    exchange.getProperty(EventExchange.RELINK, false, Boolean.class));
            validate(request);
            exchange.setProperty(EventExchange.TARGET, "postgresql:" + endpoint.getTable() + "/" + request.rowKey());
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (exchange.getProperty(EventExchange.PLAN_ONLY, false, Boolean.class)) {
            exchange.getMessage().setBody(new RowVerifier(store.dataSource(), store.stamps(), request));
            callback.done(true);
            return true;
        }
        StoreCompletion.whenWritten(exchange, callback, store.submit(request));
        return false;
    }

    /** Refused before the transaction, so one event's bad value never rolls back the others of its batch. */
    private static void validate(TableWrites.Request request) {
        request.rowKey();
        for (String column : request.update().fields().keySet()) {
            try {
                Sql.identifier(column, "column");
            } catch (IllegalArgumentException e) {
                // a copied field PostgreSQL has no column for: this event alone is refused
                throw new EventRejectedException(RejectReason.INVALID_FIELD, "event " + request.event().id() + " writes "
                        + e.getMessage() + " into " + request.target().table());
            }
        }
        Target target = request.target();
        if (target.isSet() && !(request.update().fields().get(target.member()) instanceof List)) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "event " + request.event().id() + " ("
                    + request.event().type() + ") gives " + target.member() + " as "
                    + request.update().fields().get(target.member()) + ": not a list of the set's members");
        }
    }

    private Mapping mapping() {
        Mapping mapping = endpoint.getComponent().getMappings().get(endpoint.getMapping());
        if (mapping == null) {
            throw new IllegalStateException("mapping '" + endpoint.getMapping() + "' is no longer declared");
        }
        return mapping;
    }
}
