package io.crmsync.routes;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;

/**
 * What one routes file defines, as Camel's model parsed it: routes, route configurations, route templates, and routes
 * made from a template ({@code templatedRoute}).
 */
record ParsedRoutes(RouteFile file, List<RouteDefinition> routes, List<RouteConfigurationDefinition> configurations,
        List<RouteTemplateDefinition> templates, List<TemplatedRouteDefinition> templated) {

    /** Every route the file makes, its own and those made from a template. */
    Set<String> routeIds() {
        Set<String> ids = ids(routes.stream().map(RouteDefinition::getRouteId).toList());
        ids.addAll(templatedRouteIds());
        return ids;
    }

    Set<String> templatedRouteIds() {
        return ids(templated.stream().map(TemplatedRouteDefinition::getRouteId).toList());
    }

    Set<String> configurationIds() {
        return ids(configurations.stream().map(RouteConfigurationDefinition::getId).toList());
    }

    Set<String> templateIds() {
        return ids(templates.stream().map(RouteTemplateDefinition::getId).toList());
    }

    private static Set<String> ids(List<String> ids) {
        return ids.stream().filter(Objects::nonNull).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
