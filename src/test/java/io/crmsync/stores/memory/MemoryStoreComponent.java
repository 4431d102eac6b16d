package io.crmsync.stores.memory;

import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.store.StoreComponent;

/**
 * {@code crm-memory:<collection>?mapping=...}: a third store, written only against the store SPI (core.store), to show
 * that a store is one package and no edit of the core. It keeps what it is given in memory.
 */
public class MemoryStoreComponent extends StoreComponent {

    private final MemoryStore store;

    public MemoryStoreComponent(Mappings mappings, MemoryStore store) {
        super(mappings);
        this.store = store;
    }

    @Override
    protected MemoryStoreEndpoint newEndpoint(String uri, String collection) {
        return new MemoryStoreEndpoint(uri, this, collection);
    }

    MemoryStore store() {
        return store;
    }
}
