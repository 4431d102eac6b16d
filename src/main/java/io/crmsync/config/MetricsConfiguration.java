package io.crmsync.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
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
                // nothing more
            }
        };
    }
}
