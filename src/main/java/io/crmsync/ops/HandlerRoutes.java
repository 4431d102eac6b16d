package io.crmsync.ops;

import io.crmsync.camel.redisstreams.RedisStreamsEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * Which handler route a stream's route sends its events to, read from the route itself: the first {@code direct:}
 * step of the route that consumes the stream (for a route made from a template, as its parameters name it). So {@code verify} maps entries exactly as the running routes do, with
 * nothing configured twice.
 */
class HandlerRoutes {

    private final CamelContext camel;

    HandlerRoutes(CamelContext camel) {
        this.camel = camel;
    }

    String forStream(String stream) {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof RedisStreamsEndpoint endpoint && endpoint.streamKeys().contains(stream)) {
                RouteDefinition definition = ((ModelCamelContext) camel).getRouteDefinition(route.getRouteId());
                for (ProcessorDefinition<?> step : definition.getOutputs()) {
                    String uri = step instanceof ToDefinition to ? templated(definition, to.getUri()) : null;
                    if (uri != null && uri.startsWith("direct:")) {
                        return uri;
                    }
                }
                throw new IllegalStateException("route " + route.getRouteId() + " sends " + stream + " to no direct: handler route");
            }
        }
        throw new IllegalArgumentException("no route consumes stream " + stream);
    }

    /** A step of a route made from a template names its endpoint by a template parameter: {@code {{handlers}}}. */
    private static String templated(RouteDefinition route, String uri) {
        if (uri.startsWith("{{") && uri.endsWith("}}")) {
            String name = uri.substring(2, uri.length() - 2);
            Object value = route.getTemplateParameters() != null ? route.getTemplateParameters().get(name) : null;
            if (value == null && route.getTemplateDefaultParameters() != null) {
                value = route.getTemplateDefaultParameters().get(name);
            }
            return value == null ? uri : value.toString();
        }
        return uri;
    }
}
