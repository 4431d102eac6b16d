package io.crmsync.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Micrometer settings the app's metrics need. */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    static final String EXCHANGE_NOTIFIER = "camel.exchange.event.notifier";

    /**
     * camel-micrometer times an exchange sent by a ProducerTemplate (the acknowledgments, say) without a routeId tag,
     * and one of a route with it. Prometheus refuses two tag key sets under one name, so the first of them would be
     * dropped with a warning at start: an exchange outside any route is tagged {@code routeId=""} instead.
     */
    @Bean
    MeterFilter exchangeNotifierRouteTag() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals(EXCHANGE_NOTIFIER) && id.getTag("routeId") == null
                        ? id.withTag(Tag.of("routeId", "")) : id;
            }
        };
    }
}
