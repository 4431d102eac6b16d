package io.crmsync.sources.redis;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.core.event.Provenance;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.springframework.stereotype.Component;

/**
 * Says where each entry of a route reading {@code redis-streams:} came from, as a {@link Provenance}, when the
 * exchange begins: before any step, so an entry the consumer hands over already failed (past its delivery cap), which
 * runs no step, is dead-lettered with its stream, id, group, consumer and delivery count too. A route policy that
 * Camel adds to every such route as it is made, the per-tenant and reloaded ones included.
 */
@Component
final class RedisProvenance implements RoutePolicyFactory, RoutePolicy {

    private static final String SCHEME = "redis-streams:";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return route instanceof RouteDefinition definition && definition.getInput() != null
                && definition.getInput().getEndpointUri() != null
                && definition.getInput().getEndpointUri().startsWith(SCHEME) ? this : null;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        of(exchange);
    }

    /** The exchange's provenance, read from the consumer's headers the first time. */
    static Provenance of(Exchange exchange) {
        Provenance known = Provenance.of(exchange);
        if (known != null) {
            return known;
        }
        Message message = exchange.getMessage();
        return new Provenance(message.getHeader(RedisStreamsConstants.STREAM, String.class),
                message.getHeader(RedisStreamsConstants.ENTRY_ID, String.class),
                message.getHeader(RedisStreamsConstants.GROUP, String.class),
                message.getHeader(RedisStreamsConstants.CONSUMER, String.class),
                message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, 1L, Long.class)).attachTo(exchange);
    }

    // the rest of a route's life is none of its provenance's business. Not RoutePolicySupport: that is a service each
    // route starts and stops, and Camel skips a stopped policy, so one route stopping (a tenant's stream, a reload)
    // would stop this shared instance for every route

    @Override
    public void onInit(Route route) {
    }

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
    }
}
