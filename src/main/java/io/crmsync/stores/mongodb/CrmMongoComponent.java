package io.crmsync.stores.mongodb;

import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.store.StoreComponent;
import org.apache.camel.spi.Metadata;

/**
 * The {@code crm-mongodb:} store endpoints: each applies a declared mapping to the exchange's event and writes the
 * result with crm-sync's convergent, idempotent, tenant-fenced writes (docs/mappings.md).
 * <p>
 * The route validator makes one without a writer, so a routes file's store endpoints are checked (options,
 * collection, mapping) exactly as the app would create them, before anything running changes.
 */
@org.apache.camel.spi.annotations.Component(CrmMongoComponent.SCHEME)
public class CrmMongoComponent extends StoreComponent {

    public static final String SCHEME = "crm-mongodb";

    @Metadata(autowired = true, description = "Finds the documents mapping lookups name")
    private Lookups lookups;
    @Metadata(autowired = true, description = "Batches and applies the writes")
    private WriteStep writes;

    /** Camel's, when it creates the component by its scheme: the options are autowired from the registry. */
    public CrmMongoComponent() {
    }

    /**
     * @param lookups null when only validating
     * @param writes  null when only validating
     */
    public CrmMongoComponent(Mappings mappings, Lookups lookups, WriteStep writes) {
        super(mappings);
        this.lookups = lookups;
        this.writes = writes;
    }

    @Override
    protected CrmMongoEndpoint newEndpoint(String uri, String collection) {
        CrmMongoEndpoint endpoint = new CrmMongoEndpoint(uri, this);
        endpoint.setCollection(collection);
        return endpoint;
    }

    public Lookups getLookups() {
        return lookups;
    }

    public void setLookups(Lookups lookups) {
        this.lookups = lookups;
    }

    public WriteStep getWrites() {
        return writes;
    }

    public void setWrites(WriteStep writes) {
        this.writes = writes;
    }
}
