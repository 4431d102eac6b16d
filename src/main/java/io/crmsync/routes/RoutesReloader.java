package io.crmsync.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the running routes of one file with those of its validated new content, through Camel's own
 * {@code RoutesLoader.updateRoutes} (route configurations first, then each route stopped gracefully, removed and
 * added again). Routes a new version no longer has are stopped and removed; a deleted file's routes go. If any of it
 * fails, the previous content is applied again, so the routes running before are running after.
 * <p>
 * A file's {@code templatedRoute}s are its routes too: Camel's update skips them, so they are re-made here. Routes made
 * from a template at run time (the per-tenant credit streams) are left alone: they are not the file's.
 */
final class RoutesReloader {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesReloader.class);

    private final CamelContext camel;

    RoutesReloader(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * @param previous   what the file put in the app, null for a new file
     * @param next       the validated new content, null when the file was deleted
     * @param dependents other files whose routes are re-created too, because a route configuration they use changed
     */
    void replace(ParsedRoutes previous, ParsedRoutes next, List<RouteFile> dependents) throws Exception {
        String name = next != null ? next.file().name() : previous.file().name();
        Set<String> before = runningRoutesOf(name, previous);
        Set<String> after = next != null ? next.routeIds() : Set.of();
        try {
            // vanished routes go first, so a route renamed in place never runs twice on the same stream
            remove(minus(before, after));
            removeTemplates(previous);
            removeTemplates(next);
            if (next != null) {
                update(next.file(), dependents);
            }
        } catch (Exception e) {
            LOG.error("Applying {} failed ({}); putting its previous routes back", name, RoutesValidator.reason(e));
            try {
                remove(minus(runningRoutesOf(name, next), before));
                removeTemplates(next);
                if (previous != null) {
                    update(previous.file(), dependents);
                }
            } catch (Exception rollback) {
                e.addSuppressed(rollback);
                LOG.error("Putting back the previous routes of {} failed too: {}", name, RoutesValidator.reason(rollback));
            }
            throw e;
        }
    }

    /**
     * The ids of the running routes loaded from a file of that name (by the app at start-up or by a reload), and of
     * those it made from a template.
     */
    Set<String> runningRoutesOf(String fileName, ParsedRoutes parsed) {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            Resource source = route.getSourceResource();
            if (!route.isCreatedByRouteTemplate() && source != null && fileName.equals(fileName(source.getLocation()))) {
                ids.add(route.getRouteId());
            } else if (parsed != null && parsed.templatedRouteIds().contains(route.getRouteId())) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    /** What {@code RoutesLoader.updateRoutes} does, plus re-making each file's routes made from a template. */
    private void update(RouteFile file, List<RouteFile> dependents) throws Exception {
        List<Resource> resources = new ArrayList<>();
        resources.add(file.resource());
        dependents.forEach(d -> resources.add(d.resource()));
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resources);
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteConfigurationsBuilder configurations) {
                configurations.updateRouteConfigurationsToCamelContext(camel);
            }
        }
        for (RoutesBuilder builder : builders) {
            builder.updateRoutesToCamelContext(camel);
            if (builder instanceof RouteBuilder routes) {
                for (TemplatedRouteDefinition templated : routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                    if (camel.getRoute(templated.getRouteId()) != null) {
                        remove(Set.of(templated.getRouteId()));
                    }
                    ((ModelCamelContext) camel).addRouteFromTemplatedRoute(templated);
                }
            }
        }
    }

    private void remove(Set<String> ids) throws Exception {
        for (String id : ids) {
            // stopRoute lets in-flight exchanges finish (shutdown-timeout), so their entries are acked first
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
            LOG.info("Route {} stopped and removed", id);
        }
    }

    // templates are appended by id, not replaced: the old definition must go or it would keep being used
    private void removeTemplates(ParsedRoutes routes) throws Exception {
        if (routes != null) {
            for (String id : routes.templateIds()) {
                camel.removeRouteTemplates(id);
            }
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> result = new LinkedHashSet<>(a);
        result.removeAll(b);
        return result;
    }

    static String fileName(String location) {
        String path = location.contains(":") ? location.substring(location.indexOf(':') + 1) : location;
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }
}
