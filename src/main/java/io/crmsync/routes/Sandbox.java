package io.crmsync.routes;

import java.util.ArrayList;
import java.util.Collection;

import io.crmsync.core.mapping.Mappings;
import io.crmsync.stores.mongodb.CrmMongoComponent;
import io.crmsync.stores.postgres.CrmPostgresComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.PluginHelper;
import org.springframework.core.env.PropertyResolver;

/**
 * A throwaway CamelContext, never started, that parses routes files and resolves endpoint URIs. It has its own
 * components and an empty registry, so nothing it does can touch the running app's context, components or beans
 * (a component shared with it would be re-parented and stopped along with it). Placeholders resolve from the same
 * Spring properties the app uses, so {@code {{crm.streams.group}}} means here what it means there.
 */
final class Sandbox implements AutoCloseable {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    /** @param mappings the mappings store endpoints may name; null while only parsing */
    Sandbox(PropertyResolver properties, Mappings mappings) {
        camel.getCamelContextExtension().setName("crm-sync-routes-validation");
        if (mappings != null) {
            // created the way the app creates it, so its endpoints are checked as the app would check them
            camel.addComponent(CrmMongoComponent.SCHEME, new CrmMongoComponent(mappings, null, null));
            camel.addComponent(CrmPostgresComponent.SCHEME, new CrmPostgresComponent(mappings, null));
        }
        // the master endpoint of a singleton route needs a cluster service to be created; never started here
        try {
            camel.addService(new org.apache.camel.component.file.cluster.FileLockClusterService());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        camel.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "spring-environment";
            }

            @Override
            public String getProperty(String name) {
                return properties.getProperty(name);
            }
        });
    }

    /** Parses one file with the same YAML DSL loader the app uses; throws what Camel throws for a broken file. */
    ParsedRoutes parse(RouteFile file) throws Exception {
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(file.resource());
        ParsedRoutes parsed = new ParsedRoutes(file, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (RoutesBuilder builder : builders) {
            // configurations first: the YAML builder skips, in configure(), the nodes configuration() took
            if (builder instanceof RouteConfigurationBuilder configurations) {
                configurations.setCamelContext(camel);
                configurations.configuration();
                parsed.configurations().addAll(configurations.getRouteConfigurationCollection().getRouteConfigurations());
            }
            if (builder instanceof RouteBuilder routes) {
                parsed.routes().addAll(routes.configureRoutes(camel).getRoutes());
                parsed.templates().addAll(routes.getRouteTemplateCollection().getRouteTemplates());
                parsed.templated().addAll(routes.getTemplatedRouteCollection().getTemplatedRoutes());
            }
        }
        return parsed;
    }

    /** The context's languages compile the mapping files' expressions. */
    CamelContext context() {
        return camel;
    }

    boolean hasComponent(String scheme) {
        return camel.hasComponent(scheme) != null;
    }

    /** Creates (never starts) the endpoint, which is where Camel rejects an unknown scheme or option. */
    void resolveEndpoint(String uri) {
        camel.getEndpoint(uri);
    }

    // never started, it holds no threads or connections (endpoints make those when their consumers start), and
    // stopping it would log a shutdown banner per validated file into the app log and the CI output
    @Override
    public void close() {
        if (camel.isStarted()) {
            camel.stop();
        }
    }
}
