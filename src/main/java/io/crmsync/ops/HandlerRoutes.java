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
 * step of the route that consumes the stream. So {@code verify} maps entries exactly as the running routes do, with
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
                    if (step instanceof ToDefinition to && to.getUri().startsWith("direct:")) {
                        return to.getUri();
                    }
                }
                throw new IllegalStateException("route " + route.getRouteId() + " sends " + stream + " to no direct: handler route");
            }
        }
        throw new IllegalArgumentException("no route consumes stream " + stream);
    }
}
