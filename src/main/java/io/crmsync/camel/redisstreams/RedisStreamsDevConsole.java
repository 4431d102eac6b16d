package io.crmsync.camel.redisstreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.crmsync.camel.redisstreams.consumer.StreamStats;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;

/**
 * The redis-streams dev console (camel-jbang's {@code get redis-streams}, the dev console endpoint): each consumer's
 * streams and group, with what it read, acked, reclaimed and handed over at the delivery cap, pending, lag and the
 * state of its poll tasks.
 */
@DevConsole(name = "redis-streams", displayName = "Redis Streams", description = "Redis Streams consumers and their numbers")
public class RedisStreamsDevConsole extends AbstractDevConsole {

    public RedisStreamsDevConsole() {
        super("camel", "redis-streams", "Redis Streams", "Redis Streams consumers and their numbers");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, RedisStreamsConsumer> entry : consumers().entrySet()) {
            RedisStreamsConsumer consumer = entry.getValue();
            text.append("Route ").append(entry.getKey()).append(" (").append(consumer.getEndpoint().getStreams())
                    .append("), in flight ").append(consumer.getInFlight()).append('\n');
            consumer.getStats().forEach(stats -> text.append("    ").append(stats).append('\n'));
            consumer.getTaskStates().forEach((task, state) -> text.append("    task ").append(task).append(": ")
                    .append(state).append('\n'));
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        List<Map<String, Object>> routes = new ArrayList<>();
        consumers().forEach((routeId, consumer) -> {
            List<Map<String, Object>> streams = new ArrayList<>();
            for (StreamStats stats : consumer.getStats()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("stream", stats.stream());
                s.put("group", stats.group());
                s.put("read", stats.readTotal());
                s.put("acked", stats.ackedTotal());
                s.put("reclaimed", stats.reclaimedTotal());
                s.put("deadLettered", stats.deadLetteredTotal());
                s.put("pending", stats.pending());
                s.put("lag", stats.lag());
                streams.add(s);
            }
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("routeId", routeId);
            route.put("inFlight", consumer.getInFlight());
            route.put("streams", streams);
            route.put("tasks", new LinkedHashMap<>(consumer.getTaskStates()));
            routes.add(route);
        });
        return Map.of("consumers", routes);
    }

    private Map<String, RedisStreamsConsumer> consumers() {
        Map<String, RedisStreamsConsumer> consumers = new LinkedHashMap<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof RedisStreamsConsumer consumer) {
                consumers.put(route.getRouteId(), consumer);
            }
        }
        return consumers;
    }
}
