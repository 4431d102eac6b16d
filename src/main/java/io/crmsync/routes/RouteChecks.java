package io.crmsync.routes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Component;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.ThrowExceptionDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.model.language.MethodCallExpression;

import static org.apache.camel.model.ProcessorDefinitionHelper.filterTypeInOutputs;

/**
 * The checks on a parsed file that Camel would only make when the routes start, or never: ids unique across files,
 * referenced route configurations present, bean refs naming app beans with those methods, endpoints resolvable,
 * exception classes on the class path.
 */
final class RouteChecks {

    private final Sandbox sandbox;
    private final BeanCatalog beans;

    RouteChecks(Sandbox sandbox, BeanCatalog beans) {
        this.sandbox = sandbox;
        this.beans = beans;
    }

    List<Problem> check(ParsedRoutes file, Collection<ParsedRoutes> others) {
        List<Problem> problems = new ArrayList<>();
        Set<String> configurations = new HashSet<>(file.configurationIds());
        others.forEach(other -> configurations.addAll(other.configurationIds()));
        Set<String> seen = new HashSet<>();
        for (RouteDefinition route : file.routes()) {
            Found at = new Found(file.file().name(), route, problems);
            if (route.getRouteId() == null) {
                // without an id a reload cannot replace the route; it would add a second consumer beside it
                at.problem("route from " + route.getInput().getEndpointUri() + " has no id");
            } else if (!seen.add(route.getRouteId())) {
                at.problem("route id '" + route.getRouteId() + "' is used twice in this file");
            } else {
                others.stream().filter(o -> o.routeIds().contains(route.getRouteId())).findFirst().ifPresent(o ->
                        at.problem("route id '" + route.getRouteId() + "' is already used in " + o.file().name()));
            }
            checkRoute(at, route, configurations);
            endpoint(at, route.getInput().getEndpointUri());
            filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)
                    .forEach(e -> endpoint(at, e.getEndpointUri()));
        }
        for (RouteTemplateDefinition template : file.templates()) {
            Found at = new Found(file.file().name(), template.getRoute(), problems);
            others.stream().filter(o -> o.templateIds().contains(template.getId())).findFirst().ifPresent(o ->
                    at.problem("route template id '" + template.getId() + "' is already used in " + o.file().name()));
            // endpoints of a template hold template parameters, resolvable only when a route is made from it
            checkRoute(at, template.getRoute(), configurations);
        }
        for (RouteConfigurationDefinition configuration : file.configurations()) {
            Found at = new Found(file.file().name(), null, problems);
            others.stream().filter(o -> o.configurationIds().contains(configuration.getId())).findFirst().ifPresent(o ->
                    at.problem("route configuration id '" + configuration.getId() + "' is already used in " + o.file().name()));
            if (configuration.getErrorHandler() != null
                    && configuration.getErrorHandler().getErrorHandlerType() instanceof DeadLetterChannelDefinition dlc) {
                endpoint(at, dlc.getDeadLetterUri());
            }
            for (OnExceptionDefinition onException : configuration.getOnExceptions()) {
                onException.getExceptions().forEach(type -> exceptionClass(at, type));
                steps(at, onException.getOutputs());
            }
        }
        return problems;
    }

    private void checkRoute(Found at, RouteDefinition route, Set<String> configurations) {
        String ids = route.getRouteConfigurationId();
        if (ids != null) {
            for (String id : ids.split(",")) {
                if (!id.isBlank() && !id.contains("*") && !configurations.contains(id.trim())) {
                    at.problem("routeConfigurationId '" + id.trim() + "' is not defined in any routes file");
                }
            }
        }
        steps(at, route.getOutputs());
    }

    private void steps(Found at, List<ProcessorDefinition<?>> outputs) {
        for (BeanDefinition bean : filterTypeInOutputs(outputs, BeanDefinition.class)) {
            if (bean.getRef() != null) {
                bean(at, bean.getRef(), bean.getMethod(), null);
            } else if (bean.getBeanType() != null) {
                exceptionClass(at, bean.getBeanType());
            }
        }
        for (ProcessDefinition process : filterTypeInOutputs(outputs, ProcessDefinition.class)) {
            bean(at, process.getRef(), null, Processor.class);
        }
        for (ExpressionNode node : filterTypeInOutputs(outputs, ExpressionNode.class)) {
            if (node.getExpression() instanceof MethodCallExpression call && call.getRef() != null) {
                bean(at, call.getRef(), call.getMethod(), null);
            }
        }
        for (ThrowExceptionDefinition thrown : filterTypeInOutputs(outputs, ThrowExceptionDefinition.class)) {
            if (thrown.getExceptionType() != null) {
                exceptionClass(at, thrown.getExceptionType());
            }
        }
    }

    private void bean(Found at, String ref, String method, Class<?> required) {
        String name = ref.startsWith("#bean:") ? ref.substring(6) : ref;
        Class<?> type = beans.typeOf(name);
        if (type == null) {
            at.problem("bean '" + name + "' is not a bean of the app");
        } else if (required != null && !required.isAssignableFrom(type)) {
            at.problem("bean '" + name + "' is a " + type.getSimpleName() + ", not a " + required.getSimpleName());
        } else if (method != null && !method.contains("${")) {
            String methodName = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
            if (Arrays.stream(type.getMethods()).noneMatch(m -> m.getName().equals(methodName))) {
                at.problem("bean '" + name + "' (" + type.getSimpleName() + ") has no method '" + methodName + "'");
            }
        }
    }

    private void endpoint(Found at, String uri) {
        // dynamic endpoints (toD with ${...}) only exist per message
        if (uri == null || uri.contains("${")) {
            return;
        }
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
        Class<?> bean = beans.typeOf(scheme);
        if (bean != null && Component.class.isAssignableFrom(bean) && !onClassPath(scheme)) {
            return; // a component only the app's context defines: known, its options checked when it starts
        }
        try {
            sandbox.resolveEndpoint(uri);
        } catch (RuntimeException e) {
            at.problem("endpoint '" + uri + "': " + RoutesValidator.summary(RoutesValidator.reason(e)));
            return;
        }
        if (scheme.equals("bean") || scheme.equals("class")) {
            String name = uri.substring(scheme.length() + 1).split("\\?")[0];
            if (scheme.equals("bean") && beans.typeOf(name) == null) {
                at.problem("bean '" + name + "' of endpoint '" + uri + "' is not a bean of the app");
            }
        }
    }

    private void exceptionClass(Found at, String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            at.problem("class '" + name + "' is not on the class path");
        }
    }

    private boolean onClassPath(String scheme) {
        return getClass().getClassLoader().getResource("META-INF/services/org/apache/camel/component/" + scheme) != null;
    }

    /** Where a problem was found: the file and, when Camel recorded it, the line of the route's {@code from}. */
    private record Found(String file, RouteDefinition route, List<Problem> problems) {
        void problem(String message) {
            int line = route != null && route.getInput() != null ? route.getInput().getLineNumber() : -1;
            problems.add(new Problem(file, Math.max(line, 0), message));
        }
    }
}
