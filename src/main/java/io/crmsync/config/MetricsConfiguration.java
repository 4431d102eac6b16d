package io.crmsync.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.spring.boot.CamelSpringBootApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Micrometer settings the app's metrics need. */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /** The in-flight gauge of every route, in place of the exchange event notifier's (see InflightMeters). */
    @Bean
    CamelContextConfiguration inflightMeters(MeterRegistry meters) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.addLifecycleStrategy(new InflightMeters(camel, meters));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // The route metrics' notifier reads route events only, and Spring Boot's (which calls this method)
                // only the context's start; neither says so, so Camel built an event object at every step of every
                // exchange for them to throw away (docs/benchmarks.md).
                camel.getManagementStrategy().getEventNotifiers().stream()
                        .filter(n -> n instanceof MicrometerRouteEventNotifier
                                || n.getClass().getName().startsWith(CamelSpringBootApplicationListener.class.getName()))
                        .forEach(n -> n.setIgnoreExchangeEvents(true));
            }
        };
    }
}
