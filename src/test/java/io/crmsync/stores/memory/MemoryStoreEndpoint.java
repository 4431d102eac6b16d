package io.crmsync.stores.memory;

import java.util.List;
import java.util.concurrent.CompletionStage;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.store.StoreEndpoint;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;

/** One collection of the memory store: field updates only, so a ledger mapping is refused when the route is made. */
class MemoryStoreEndpoint extends StoreEndpoint<MemoryStore.Record> {

    private final String collection;

    MemoryStoreEndpoint(String uri, MemoryStoreComponent component, String collection) {
        super(uri, component);
        this.collection = collection;
    }

    @Override
    public MemoryStoreComponent getComponent() {
        return (MemoryStoreComponent) super.getComponent();
    }

    @Override
    protected void checkOptions() {
        if (collection.isBlank()) {
            throw new IllegalArgumentException("crm-memory needs a collection: crm-memory:<collection>");
        }
    }

    @Override
    public void check(Mapping mapping) {
        if (mapping.ledger() != null) {
            throw new IllegalArgumentException("mapping '" + mapping.id() + "' has a ledger: section, which "
                    + "crm-memory does not write");
        }
    }

    @Override
    public Mapping.Target target() {
        return new Mapping.Target(collection);
    }

    @Override
    public Directory directory() {
        return getComponent().store();
    }

    @Override
    public MemoryStore.Record plan(CanonicalEvent event, Write write, boolean repair) {
        Write.FieldUpdate update = (Write.FieldUpdate) write;
        return new MemoryStore.Record(collection, update.id(), event.tenantId(), update.fields());
    }

    @Override
    public String location(MemoryStore.Record planned) {
        return "memory:" + planned.collection() + "/" + planned.id();
    }

    @Override
    public CompletionStage<Outcome> submit(MemoryStore.Record planned) {
        return getComponent().store().submit(planned);
    }

    @Override
    public Verdict verify(MemoryStore.Record planned) {
        MemoryStore.Record stored = getComponent().store().stored(planned.collection(), planned.id());
        String location = planned.collection() + "/" + planned.id();
        return stored == null ? new Verdict(Verdict.State.MISSING, location, List.of())
                : stored.equals(planned) ? new Verdict(Verdict.State.UP_TO_DATE, location, List.of())
                : new Verdict(Verdict.State.DIFFERS, location, List.of("fields"));
    }
}
