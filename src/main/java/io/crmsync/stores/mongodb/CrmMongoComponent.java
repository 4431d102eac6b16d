package io.crmsync.stores.mongodb;

import java.util.Map;

import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code crm-mongodb:} store endpoints: each applies a declared mapping to the exchange's event and writes the
 * result with crm-sync's convergent, idempotent, tenant-fenced writes (docs/mappings.md).
 * <p>
 * The route validator makes one without a writer, so a routes file's store endpoints are checked (options,
 * collection, mapping) exactly as the app would create them, before anything running changes.
 */
@org.apache.camel.spi.annotations.Component(CrmMongoComponent.SCHEME)
public class CrmMongoComponent extends DefaultComponent {

    public static final String SCHEME = "crm-mongodb";

    @Metadata(autowired = true, description = "The mappings in effect (the app's, from the routes directory)")
    private Mappings mappings;
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
        this.mappings = mappings;
        this.lookups = lookups;
        this.writes = writes;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CrmMongoEndpoint endpoint = new CrmMongoEndpoint(uri, this);
        endpoint.setCollection(remaining);
        setProperties(endpoint, parameters);
        endpoint.check();
        return endpoint;
    }

    public Mappings getMappings() {
        return mappings;
    }

    public void setMappings(Mappings mappings) {
        this.mappings = mappings;
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
