package io.crmsync.stores.mongodb;

import java.util.Set;

import io.crmsync.core.mapping.CollectionNames;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Writes the exchange's canonical event to one collection, as the mapping declaring its type says: {@code
 * crm-mongodb:users}; as a named mapping says: {@code crm-mongodb:users?mapping=user-created}; or {@code crm-mongodb:creditLedger?write=ledger&mapping=credit-allocated}.
 */
@UriEndpoint(firstVersion = "0.2.0", scheme = CrmMongoComponent.SCHEME, title = "crm-sync MongoDB store",
        syntax = "crm-mongodb:collection", producerOnly = true, category = { Category.DATABASE })
public class CrmMongoEndpoint extends DefaultEndpoint {

    /** The write kinds: field-wise convergent upserts, or the exact credit ledger. */
    public enum WriteKind { upsert, ledger }

    // crm-sync's own collections: written only by their own code, never by a mapping
    private static final Set<String> BOOKKEEPING = Set.of("eventProcessingRecords", "tenants");

    @UriPath(description = "The collection written, by its contract name (crm.collections maps it to this CRM's name)")
    @Metadata(required = true)
    private String collection;
    @UriParam(description = "The id of the mapping (in a *.mapping.yaml beside the routes) applied to each event; "
            + "without it, the mapping that declares the event's type (types:)")
    private String mapping;
    @UriParam(defaultValue = "upsert", description = "upsert: convergent field-wise upserts; ledger: one signed movement "
            + "per event, keyed by event id, folded exactly once into its balance")
    private WriteKind write = WriteKind.upsert;
    @UriParam(defaultValue = "creditBalances", description = "With write=ledger: the collection of the balances")
    private String balances = "creditBalances";

    CrmMongoEndpoint(String uri, CrmMongoComponent component) {
        super(uri, component);
    }

    /** Refuses what could never write, with the option at fault: this is what validation reports for the route. */
    void check(Mappings mappings) {
        for (String name : write == WriteKind.ledger ? Set.of(collection, balances) : Set.of(collection)) {
            if (!CollectionNames.isValid(name)) {
                throw new IllegalArgumentException("collection '" + name + "': " + CollectionNames.rule());
            }
            if (BOOKKEEPING.contains(name) || (write == WriteKind.upsert && Set.of("creditLedger", "creditBalances").contains(name))) {
                throw new IllegalArgumentException("collection '" + name + "' is crm-sync's own"
                        + (write == WriteKind.upsert && !BOOKKEEPING.contains(name) ? ": use write=ledger" : ""));
            }
        }
        if (mapping == null || mapping.isBlank()) {
            return; // chosen per event by its type: Mappings.forEvent refuses a type no mapping handles
        }
        Mapping declared = mappings.get(mapping);
        if (declared == null) {
            throw new IllegalArgumentException("no mapping '" + mapping + "' in any *.mapping.yaml"
                    + mappings.suggestion(mapping));
        }
        if ((write == WriteKind.ledger) != (declared.ledger() != null)) {
            throw new IllegalArgumentException("mapping '" + mapping + "' (" + declared.origin() + ") "
                    + (write == WriteKind.ledger ? "has no ledger: section, which write=ledger needs"
                            : "has a ledger: section: use write=ledger"));
        }
    }

    @Override
    public Producer createProducer() {
        return new CrmMongoProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("crm-mongodb is a store: it writes (to:), it cannot be consumed (from:)");
    }

    @Override
    public CrmMongoComponent getComponent() {
        return (CrmMongoComponent) super.getComponent();
    }

    Mapping.Target target() {
        return new Mapping.Target(collection, write == WriteKind.ledger ? balances : null);
    }

    public String getCollection() {
        return collection;
    }

    public void setCollection(String collection) {
        this.collection = collection;
    }

    public String getMapping() {
        return mapping;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public WriteKind getWrite() {
        return write;
    }

    public void setWrite(WriteKind write) {
        this.write = write;
    }

    public String getBalances() {
        return balances;
    }

    public void setBalances(String balances) {
        this.balances = balances;
    }
}
