package io.crmsync.ops;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

import io.crmsync.camel.redisstreams.RedisStreamsEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The (stream, group) pairs crm-sync consumes, read from its routes: the routes are the one place that says so,
 * including per-tenant routes added at run time.
 */
class StreamCatalog {

    /** One stream read through one consumer group. */
    record StreamGroup(String stream, String group) {
    }

    private final Supplier<Set<StreamGroup>> consumed;

    StreamCatalog(CamelContext camel) {
        this(() -> consumedBy(camel));
    }

    /** @param consumed the pairs as something other than running routes says (status reads the routes' definitions) */
    StreamCatalog(Supplier<Set<StreamGroup>> consumed) {
        this.consumed = consumed;
    }

    Set<StreamGroup> consumed() {
        return consumed.get();
    }

    private static Set<StreamGroup> consumedBy(CamelContext camel) {
        Set<StreamGroup> pairs = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof RedisStreamsEndpoint endpoint) {
                endpoint.streamKeys().forEach(stream -> pairs.add(new StreamGroup(stream, endpoint.getConfiguration().getGroup())));
            }
        }
        return pairs;
    }

    /** The group that reads a stream, for commands given only a stream key. */
    String groupOf(String stream) {
        return consumed().stream().filter(p -> p.stream().equals(stream)).map(StreamGroup::group).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no route consumes stream " + stream));
    }
}
