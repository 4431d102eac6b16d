package io.crmsync.config;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * {@code camel_exchanges_inflight{routeId}}, read from Camel's own in-flight registry when scraped. camel-micrometer's
 * exchange event notifier exports the same gauge, but it runs at every exchange event and took about a tenth of the
 * app's CPU in a drain (docs/benchmarks.md), so it is switched off (camel.metrics.enable-exchange-event-notifier).
 * Routes come and go with live reload; each route's gauge follows it.
 */
final class InflightMeters extends LifecycleStrategySupport {

    static final String NAME = "camel.exchanges.inflight";

    private final MeterRegistry meters;
    private final InflightRepository inflight;
    private final String context;
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    InflightMeters(CamelContext camel, MeterRegistry meters) {
        this.meters = meters;
        this.inflight = camel.getInflightRepository();
        this.context = camel.getName();
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            String id = route.getRouteId();
            gauges.computeIfAbsent(id, routeId -> Gauge.builder(NAME, inflight, repository -> repository.size(routeId))
                    .description("Exchanges of the route in flight").tag("routeId", routeId).tag("camelContext", context)
                    .register(meters));
        }
    }

    @Override
    public void onRoutesRemove(Collection<Route> routes) {
        for (Route route : routes) {
            Gauge gauge = gauges.remove(route.getRouteId());
            if (gauge != null) {
                meters.remove(gauge);
            }
        }
    }
}
