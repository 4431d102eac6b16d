package io.crmsync.core.store;

import java.util.Map;

import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * What every store component has: the mappings in effect, and endpoints checked as they are created, so that the
 * route validator, which makes a store component without its store, reports a store endpoint's faults exactly as the
 * running app would meet them.
 */
public abstract class StoreComponent extends DefaultComponent {

    @Metadata(autowired = true, description = "The mappings in effect (the app's, from the routes directory)")
    private Mappings mappings;

    protected StoreComponent() {
    }

    protected StoreComponent(Mappings mappings) {
        this.mappings = mappings;
    }

    /** The endpoint of one target (a collection, a table), before the URI's options are set. */
    protected abstract StoreEndpoint<?> newEndpoint(String uri, String target);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StoreEndpoint<?> endpoint = newEndpoint(uri, remaining);
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
}
