package io.crmsync.stores.postgres;

import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.store.StoreComponent;
import org.apache.camel.spi.Metadata;

/**
 * The {@code crm-postgres:} store endpoints: each applies a declared mapping to the exchange's event and writes the
 * result to a table of the user's PostgreSQL with crm-sync's convergent, idempotent, tenant-fenced writes
 * (docs/mappings.md). Without a store (no {@code crm.postgres.url}) its endpoints are still created, so routes
 * validate, but an event reaching one fails, and stays pending, until the database is configured.
 */
@org.apache.camel.spi.annotations.Component(CrmPostgresComponent.SCHEME)
public class CrmPostgresComponent extends StoreComponent {

    public static final String SCHEME = "crm-postgres";

    @Metadata(autowired = true, description = "Batches and commits the writes; absent while no database is configured")
    private PostgresStore store;

    /** Camel's, when it creates the component by its scheme: the options are autowired from the registry. */
    public CrmPostgresComponent() {
    }

    /** @param store null when only validating, or when no database is configured */
    public CrmPostgresComponent(Mappings mappings, PostgresStore store) {
        super(mappings);
        this.store = store;
    }

    @Override
    protected CrmPostgresEndpoint newEndpoint(String uri, String table) {
        CrmPostgresEndpoint endpoint = new CrmPostgresEndpoint(uri, this);
        endpoint.setTable(table);
        return endpoint;
    }

    public PostgresStore getStore() {
        return store;
    }

    public void setStore(PostgresStore store) {
        this.store = store;
    }
}
