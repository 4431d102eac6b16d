package io.crmsync.core.store;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * What every store endpoint has: the {@code mapping} option, its checks against the mappings in effect, a
 * {@link StoreProducer}, and no consumer. A store's endpoint adds its target's options and implements {@link Store}.
 *
 * @param <P> the store's own form of one event's write
 */
public abstract class StoreEndpoint<P> extends DefaultEndpoint implements Store<P> {

    @UriParam(description = "The id of the mapping (in a *.mapping.yaml beside the routes) applied to each event; "
            + "without it, the mapping that declares the event's type (types:)")
    private String mapping;

    protected StoreEndpoint(String uri, StoreComponent component) {
        super(uri, component);
    }

    /** The mappings in effect: the app's, from the routes directory. */
    public Mappings mappings() {
        return ((StoreComponent) getComponent()).getMappings();
    }

    /**
     * Refuses what could never write, with the option at fault: this is what validation reports for the route. The
     * component calls it once the URI's options are set.
     */
    public void check() {
        checkOptions();
        if (mapping == null || mapping.isBlank()) {
            if (mappingRequired()) {
                throw new IllegalArgumentException("mapping is required: the id of a mapping in a *.mapping.yaml");
            }
            return; // chosen per event by its type, and checked against this target when first chosen
        }
        Mapping declared = mappings().get(mapping);
        if (declared == null) {
            throw new IllegalArgumentException("no mapping '" + mapping + "' in any *.mapping.yaml"
                    + mappings().suggestion(mapping));
        }
        check(declared);
    }

    /**
     * Whether the URI must name its mapping: a store that checks its target against the mapping before any event
     * (PostgreSQL's table, when the route starts) cannot wait for an event's type to choose it.
     */
    protected boolean mappingRequired() {
        return false;
    }

    /** Refuses options that could never write, whatever the mapping (a name the store cannot have, say). */
    protected abstract void checkOptions();

    /**
     * Checks the target in the store itself when a producer starts (PostgreSQL: the table's columns against the
     * mapping); nothing by default. Throwing stops the route from starting.
     */
    protected void checkInStore() throws Exception {
    }

    @Override
    public Producer createProducer() {
        return new StoreProducer<>(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri().split(":", 2)[0]
                + " is a store: it writes (to:), it cannot be consumed (from:)");
    }

    public String getMapping() {
        return mapping;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }
}
