package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.util.URISupport;
import org.springframework.core.env.PropertyResolver;

/**
 * The (stream, group) pairs a routes directory consumes, read from its route definitions without creating a route:
 * what the {@code status} command lists, without the app's beans and servers that starting the routes would need.
 * Routes made from a template are made in a throwaway context that is never started, so their parameters (and the
 * template's defaults) resolve as the app resolves them.
 */
public final class DeclaredStreams {

    private static final String SCHEME = "redis-streams:";

    /** One stream read through one consumer group. */
    public record StreamGroup(String stream, String group) {
    }

    private DeclaredStreams() {
    }

    /**
     * @param properties resolves the placeholders, as the app's environment does
     * @param fallbackGroup the group of a route whose URI names none (the component's default)
     */
    public static Set<StreamGroup> in(Path dir, PropertyResolver properties, String fallbackGroup) throws IOException {
        Set<StreamGroup> pairs = new LinkedHashSet<>();
        try (Sandbox sandbox = new Sandbox(properties, null)) {
            List<TemplatedRouteDefinition> templated = new ArrayList<>();
            Model model = sandbox.context().getCamelContextExtension().getContextPlugin(Model.class);
            for (RouteFile file : RouteFile.readDirectory(dir).values()) {
                ParsedRoutes parsed;
                try {
                    parsed = sandbox.parse(file);
                } catch (Exception e) {
                    throw new IllegalStateException("Routes file " + dir.resolve(file.name()) + " cannot be read ("
                            + RoutesValidator.summary(RoutesValidator.reason(e)) + "); `validate` shows why", e);
                }
                model.addRouteTemplateDefinitions(parsed.templates());
                model.addRouteDefinitions(parsed.routes());
                templated.addAll(parsed.templated());
            }
            for (TemplatedRouteDefinition route : templated) {
                TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(sandbox.context(), route.getRouteTemplateRef())
                        .routeId(route.getRouteId());
                route.getParameters().forEach(p -> builder.parameter(p.getName(), p.getValue()));
                builder.add();
            }
            for (RouteDefinition route : model.getRouteDefinitions()) {
                String uri = route.getInput().getEndpointUri();
                if (uri == null) {
                    continue;
                }
                // a route made from a template: its parameters first, then the app's placeholders
                Map<String, Object> parameters = route.getTemplateParameters() == null ? Map.of() : route.getTemplateParameters();
                for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                    uri = uri.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
                }
                uri = sandbox.context().resolvePropertyPlaceholders(uri);
                if (uri.startsWith(SCHEME)) {
                    pairs.addAll(pairs(uri, fallbackGroup));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pairs;
    }

    private static List<StreamGroup> pairs(String uri, String fallbackGroup) throws Exception {
        int query = uri.indexOf('?');
        String path = uri.substring(SCHEME.length(), query < 0 ? uri.length() : query);
        Object group = query < 0 ? null : URISupport.parseQuery(uri.substring(query + 1)).get("group");
        List<StreamGroup> pairs = new ArrayList<>();
        for (String stream : path.split(",")) {
            if (!stream.isBlank()) {
                pairs.add(new StreamGroup(stream.trim(), group == null ? fallbackGroup : group.toString()));
            }
        }
        return pairs;
    }
}
