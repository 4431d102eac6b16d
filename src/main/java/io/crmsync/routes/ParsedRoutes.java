package io.crmsync.routes;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * What one routes file defines, as Camel's model parsed it: routes, route configurations and route templates.
 */
record ParsedRoutes(RouteFile file, List<RouteDefinition> routes, List<RouteConfigurationDefinition> configurations,
        List<RouteTemplateDefinition> templates) {

    Set<String> routeIds() {
        return ids(routes.stream().map(RouteDefinition::getRouteId).toList());
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
