package io.crmsync.stores.mongodb;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.mapping.CollectionNames;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.store.StoreEndpoint;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the exchange's canonical event to one collection, as the mapping declaring its type says ({@code
 * crm-mongodb:users}) or the named one ({@code crm-mongodb:users?mapping=user-created}). A mapping with a {@code ledger:} section makes it the credit ledger
 * ({@code crm-mongodb:creditLedger?mapping=credit-allocated}), folding into the balances that section names.
 */
@UriEndpoint(firstVersion = "0.2.0", scheme = CrmMongoComponent.SCHEME, title = "crm-sync MongoDB store",
        syntax = "crm-mongodb:collection", producerOnly = true, category = { Category.DATABASE })
public class CrmMongoEndpoint extends StoreEndpoint<CrmMongoEndpoint.Planned> {

    private static final Logger LOG = LoggerFactory.getLogger(CrmMongoEndpoint.class);

    // crm-sync's own collections: written only by their own code, never by a mapping
    private static final Set<String> BOOKKEEPING = Set.of("eventProcessingRecords", "tenants");
    // the ledger's default collections: written only by a mapping with a ledger: section
    private static final Set<String> LEDGER = Set.of("creditLedger", Mapping.Ledger.DEFAULT_BALANCES);
    // a route file written before the mapping chose the ledger write is told so once, not at every reload
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /** One event's write to MongoDB. */
    public record Planned(CanonicalEvent event, Write write) {
    }

    @UriPath(description = "The collection written, by its contract name (crm.collections maps it to this CRM's name)")
    @Metadata(required = true)
    private String collection;
    @UriParam(label = "advanced", description = "No longer needed: the mapping's ledger: section makes the write a "
            + "ledger write. Routes written before may keep write=ledger (or write=upsert) while it agrees with the "
            + "mapping; a warning says to remove it")
    private String write;
    @UriParam(label = "advanced", description = "No longer needed: the balances collection is the mapping's ledger: "
            + "balances (default creditBalances). Routes written before may keep it while it agrees with the mapping")
    private String balances;

    CrmMongoEndpoint(String uri, CrmMongoComponent component) {
        super(uri, component);
    }

    @Override
    protected void checkOptions() {
        if (!CollectionNames.isValid(collection)) {
            throw new IllegalArgumentException("collection '" + collection + "': " + CollectionNames.rule());
        }
        if (BOOKKEEPING.contains(collection)) {
            throw new IllegalArgumentException("collection '" + collection + "' is crm-sync's own");
        }
        if (write != null && !Set.of("ledger", "upsert").contains(write)) {
            throw new IllegalArgumentException("write=" + write + " is not a write kind; remove write=: a mapping "
                    + "with a ledger: section writes the credit ledger, any other upserts");
        }
    }

    @Override
    public void check(Mapping mapping) {
        Mapping.Ledger ledger = mapping.ledger();
        if (ledger == null && LEDGER.contains(collection)) {
            throw new IllegalArgumentException("collection '" + collection + "' is crm-sync's own: mapping '"
                    + mapping.id() + "' (" + mapping.origin() + ") has no ledger: section, and only a mapping with "
                    + "one writes it");
        }
        if (ledger != null && BOOKKEEPING.contains(ledger.balances())) {
            throw new IllegalArgumentException("mapping '" + mapping.id() + "' (" + mapping.origin() + "): balances '"
                    + ledger.balances() + "' is crm-sync's own");
        }
        checkFormerOptions(mapping);
    }

    /** write= and balances= of a route written before the mapping chose: kept while they agree, with a warning. */
    private void checkFormerOptions(Mapping mapping) {
        if (write == null && balances == null) {
            return;
        }
        Mapping.Ledger ledger = mapping.ledger();
        String declared = "mapping '" + mapping.id() + "' (" + mapping.origin() + ")";
        if ("ledger".equals(write) && ledger == null) {
            throw new IllegalArgumentException(declared + " has no ledger: section, which write=ledger needs; the "
                    + "ledger: section alone now makes a ledger write, so remove write=ledger from the URI");
        }
        if ("upsert".equals(write) && ledger != null) {
            throw new IllegalArgumentException(declared + " has a ledger: section, so it writes the ledger: remove "
                    + "write=upsert from the URI");
        }
        if (balances != null && (ledger == null || !balances.equals(ledger.balances()))) {
            throw new IllegalArgumentException("balances=" + balances + ": the balances collection is now the "
                    + "mapping's, and " + declared + (ledger == null ? " has no ledger: section"
                            : " folds into '" + ledger.balances() + "'") + ": remove balances= from the URI"
                    + (ledger == null ? "" : " and set balances: " + balances + " in the ledger: section"));
        }
        if (TOLD.compareAndSet(false, true)) {
            LOG.warn("{}: write= and balances= are no longer needed, the mapping's ledger: section chooses the ledger "
                    + "write and its balances; remove them from the URI (docs/mappings.md)", getEndpointUri());
        }
    }

    @Override
    public Mapping.Target target() {
        return new Mapping.Target(collection);
    }

    @Override
    public Directory directory() {
        return getComponent().getLookups();
    }

    @Override
    public Planned plan(CanonicalEvent event, Write write, boolean repair) {
        return new Planned(event, write);
    }

    @Override
    public String location(Planned planned) {
        return "mongodb:" + (planned.write() instanceof Write.CreditMovement movement
                ? movement.ledger() + "/" + movement.entryId(planned.event())
                : ((Write.FieldUpdate) planned.write()).collection() + "/" + ((Write.FieldUpdate) planned.write()).id());
    }

    @Override
    public CompletionStage<Outcome> submit(Planned planned) {
        return getComponent().getWrites().submit(planned.event(), planned.write());
    }

    @Override
    public Verdict verify(Planned planned) {
        return getComponent().getWrites().writer().verify(planned.event(), planned.write());
    }

    @Override
    public CrmMongoComponent getComponent() {
        return (CrmMongoComponent) super.getComponent();
    }

    public String getCollection() {
        return collection;
    }

    public void setCollection(String collection) {
        this.collection = collection;
    }

    public String getWrite() {
        return write;
    }

    public void setWrite(String write) {
        this.write = write;
    }

    public String getBalances() {
        return balances;
    }

    public void setBalances(String balances) {
        this.balances = balances;
    }
}
