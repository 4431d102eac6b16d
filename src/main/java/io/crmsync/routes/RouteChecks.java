package io.crmsync.routes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Component;
import org.apache.camel.LineNumberAware;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.ThrowExceptionDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.model.language.RefExpression;

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
            endpoint(at, route.getInput(), route.getInput().getEndpointUri());
            filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)
                    .forEach(e -> endpoint(at, (LineNumberAware) e, e.getEndpointUri()));
        }
        for (TemplatedRouteDefinition templated : file.templated()) {
            templated(file, templated, others, seen, problems);
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
                endpoint(at, null, dlc.getDeadLetterUri());
            }
            for (OnExceptionDefinition onException : configuration.getOnExceptions()) {
                onException.getExceptions().forEach(type -> exceptionClass(at, onException, type));
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
                bean(at, bean, bean.getRef(), bean.getMethod(), null);
            } else if (bean.getBeanType() != null) {
                exceptionClass(at, bean, bean.getBeanType());
            }
        }
        for (ProcessDefinition process : filterTypeInOutputs(outputs, ProcessDefinition.class)) {
            bean(at, process, process.getRef(), null, Processor.class);
        }
        filterTypeInOutputs(outputs, ExpressionNode.class).forEach(node -> expression(at, node, node.getExpression()));
        // a choice's when clauses are not among its outputs
        filterTypeInOutputs(outputs, ChoiceDefinition.class).forEach(choice -> choice.getWhenClauses()
                .forEach(when -> expression(at, when, when.getExpression())));
        for (ThrowExceptionDefinition thrown : filterTypeInOutputs(outputs, ThrowExceptionDefinition.class)) {
            if (thrown.getExceptionType() != null) {
                exceptionClass(at, thrown, thrown.getExceptionType());
            }
        }
    }

    private void expression(Found at, LineNumberAware node, ExpressionDefinition expression) {
        if (expression instanceof MethodCallExpression call && call.getRef() != null) {
            bean(at, node, call.getRef(), call.getMethod(), null);
        } else if (expression instanceof RefExpression ref && !ref.getExpression().contains("${")) {
            bean(at, node, ref.getExpression(), null, Predicate.class);
        }
    }

    private void bean(Found at, LineNumberAware step, String ref, String method, Class<?> required) {
        String name = ref.startsWith("#bean:") ? ref.substring(6) : ref;
        Class<?> type = beans.typeOf(name);
        if (type == null) {
            at.problem(step, "bean '" + name + "' is not a bean of the app");
        } else if (required != null && !required.isAssignableFrom(type)) {
            at.problem(step, "bean '" + name + "' is a " + type.getSimpleName() + ", not a " + required.getSimpleName());
        } else if (method != null && !method.contains("${")) {
            String methodName = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
            if (Arrays.stream(type.getMethods()).noneMatch(m -> m.getName().equals(methodName))) {
                at.problem(step, "bean '" + name + "' (" + type.getSimpleName() + ") has no method '" + methodName + "'");
            }
        }
    }

    private void endpoint(Found at, LineNumberAware step, String uri) {
        // dynamic endpoints (toD with ${...}) only exist per message
        if (uri == null || uri.contains("${")) {
            return;
        }
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
        Class<?> bean = beans.typeOf(scheme);
        if (bean != null && Component.class.isAssignableFrom(bean) && !onClassPath(scheme) && !sandbox.hasComponent(scheme)) {
            return; // a component only the app's context defines: known, its options checked when it starts
        }
        try {
            sandbox.resolveEndpoint(uri);
        } catch (RuntimeException e) {
            at.problem(step, "endpoint '" + uri + "': " + RoutesValidator.summary(RoutesValidator.reason(e)));
            return;
        }
        if (scheme.equals("bean") || scheme.equals("class")) {
            String name = uri.substring(scheme.length() + 1).split("\\?")[0];
            if (scheme.equals("bean") && beans.typeOf(name) == null) {
                at.problem(step, "bean '" + name + "' of endpoint '" + uri + "' is not a bean of the app");
            }
        }
    }

    private void exceptionClass(Found at, LineNumberAware step, String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            at.problem(step, "class '" + name + "' is not on the class path");
        }
    }

    /**
     * A route made from a template: its id is new, the template exists (in any file), its parameters are the
     * template's, and the endpoints the template gets with them resolve.
     */
    private void templated(ParsedRoutes file, TemplatedRouteDefinition templated, Collection<ParsedRoutes> others,
            Set<String> seen, List<Problem> problems) {
        String id = templated.getRouteId();
        Found at = new Found(file.file().name(), null, problems, lineOf(file.file().content(), "routeId: " + id));
        if (id == null) {
            at.problem("templatedRoute of '" + templated.getRouteTemplateRef() + "' has no routeId");
            return;
        }
        if (!seen.add(id)) {
            at.problem("route id '" + id + "' is used twice in this file");
        }
        others.stream().filter(o -> o.routeIds().contains(id)).findFirst().ifPresent(o ->
                at.problem("route id '" + id + "' is already used in " + o.file().name()));
        RouteTemplateDefinition template = java.util.stream.Stream.concat(java.util.stream.Stream.of(file), others.stream())
                .flatMap(p -> p.templates().stream()).filter(t -> t.getId().equals(templated.getRouteTemplateRef()))
                .findFirst().orElse(null);
        if (template == null) {
            at.problem("route " + id + ": no routeTemplate '" + templated.getRouteTemplateRef() + "' in any routes file");
            return;
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        template.getTemplateParameters().forEach(p -> {
            if (p.getDefaultValue() != null) {
                values.put(p.getName(), p.getDefaultValue());
            }
        });
        for (var parameter : templated.getParameters()) {
            if (template.getTemplateParameters().stream().noneMatch(p -> p.getName().equals(parameter.getName()))) {
                at.problem("route " + id + ": template '" + template.getId() + "' has no parameter '" + parameter.getName() + "'");
            }
            values.put(parameter.getName(), parameter.getValue());
        }
        template.getTemplateParameters().stream()
                .filter(p -> p.getDefaultValue() == null && !Boolean.FALSE.equals(p.getRequired()) && !values.containsKey(p.getName()))
                .forEach(p -> at.problem("route " + id + ": template '" + template.getId() + "' needs parameter '" + p.getName() + "'"));
        RouteDefinition route = template.getRoute();
        endpoint(at, null, substitute(route.getInput().getEndpointUri(), values));
        filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)
                .forEach(e -> endpoint(at, null, substitute(e.getEndpointUri(), values)));
    }

    /** A template's {@code {{name}}} placeholders with the route's values; the app's own placeholders stay. */
    private static String substitute(String uri, java.util.Map<String, String> values) {
        String result = uri;
        for (java.util.Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        return result;
    }

    private static int lineOf(String content, String text) {
        if (text == null) {
            return 0;
        }
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().equals(text) || lines[i].trim().equals(text.replace(": ", ": \"") + "\"")) {
                return i + 1;
            }
        }
        return 0;
    }

    private boolean onClassPath(String scheme) {
        return getClass().getClassLoader().getResource("META-INF/services/org/apache/camel/component/" + scheme) != null;
    }

    /**
     * Where a problem was found: the file and, when Camel recorded it, the line of the offending step, else of the
     * route's {@code from}.
     */
    private record Found(String file, RouteDefinition route, List<Problem> problems, int fallbackLine) {
        Found(String file, RouteDefinition route, List<Problem> problems) {
            this(file, route, problems, 0);
        }

        void problem(String message) {
            problem(null, message);
        }

        void problem(LineNumberAware at, String message) {
            int line = at != null && at.getLineNumber() > 0 ? at.getLineNumber()
                    : route != null && route.getInput() != null ? route.getInput().getLineNumber() : fallbackLine;
            problems.add(new Problem(file, Math.max(line, 0), message));
        }
    }
}
