package io.crmsync.stores.memory;

import java.util.Map;

import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code crm-memory:<collection>?mapping=...}: a third store, written only against the store SPI (core.store), to show
 * that a store is one package and no edit of the core. It keeps what it is given in memory.
 */
public class MemoryStoreComponent extends DefaultComponent {

    private final Mappings mappings;
    private final MemoryStore store;

    public MemoryStoreComponent(Mappings mappings, MemoryStore store) {
        this.mappings = mappings;
        this.store = store;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MemoryStoreEndpoint endpoint = new MemoryStoreEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.check();
        return endpoint;
    }

    Mappings mappings() {
        return mappings;
    }

    MemoryStore store() {
        return store;
    }
}
