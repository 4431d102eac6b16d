package io.crmsync.persistence;

import java.util.List;

import com.mongodb.client.model.Filters;
import io.crmsync.event.CanonicalEvent;
import org.bson.Document;

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

    /**
     * Checks, without writing, whether the store reflects the event: its document exists and none of the fields it
     * carries holds a value older than the event. A field a newer event has since set counts as up to date.
     */
    public Verdict verify(CanonicalEvent event, Write write) {
        if (write instanceof Write.FieldUpdate update) {
            String location = collections.name(update.collection()) + "/" + update.id();
            Document document = collections.get(update.collection()).find(Filters.and(Filters.eq("_id", update.id()),
                    Filters.eq("tenantId", event.tenantId()))).first();
            if (document == null) {
                return new Verdict(Verdict.State.MISSING, location, List.of());
            }
            Document sync = document.get(FieldwiseUpsert.SYNC, Document.class);
            Document stamps = sync == null ? new Document() : sync.get("stamps", new Document());
            Stamp stamp = Stamp.of(event.time(), event.id());
            List<String> older = update.fields().keySet().stream()
                    .filter(field -> stamps.getString(field) == null || stamp.compareTo(new Stamp(stamps.getString(field))) > 0)
                    .toList();
            return new Verdict(older.isEmpty() ? Verdict.State.UP_TO_DATE : Verdict.State.OLDER, location, older);
        }
        if (write instanceof Write.CreditMovement) {
            String location = collections.name("creditLedger") + "/" + event.id();
            boolean recorded = collections.get("creditLedger").countDocuments(Filters.and(Filters.eq("_id", event.id()),
                    Filters.eq("tenantId", event.tenantId()))) > 0;
            return new Verdict(recorded ? Verdict.State.UP_TO_DATE : Verdict.State.MISSING, location, List.of());
        }
        return new Verdict(Verdict.State.NOT_APPLICABLE, "", List.of());
    }
}
