package io.crmsync.persistence;

import io.crmsync.event.CanonicalEvent;

/**
 * Applies the {@link Write} an event was routed to. The one entry point the routes call for MongoDB.
 */
public class EventWriter {

    private final Collections collections;
    private final FieldwiseUpsert upsert = new FieldwiseUpsert();
    private final CreditLedger credits;

    public EventWriter(Collections collections) {
        this.collections = collections;
        this.credits = new CreditLedger(collections.get("creditLedger"), collections.get("creditBalances"));
    }

    public Outcome apply(CanonicalEvent event, Write write) {
        if (write instanceof Write.FieldUpdate update) {
            return upsert.apply(collections.get(update.collection()), update.id(), event.tenantId(),
                    Stamp.of(event.time(), event.id()), update.fields());
        }
        if (write instanceof Write.CreditMovement movement) {
            return credits.apply(event.id(), event.tenantId(), event.time(), movement);
        }
        return Outcome.SKIPPED;
    }
}
