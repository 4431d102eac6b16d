package io.crmsync.routes;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Live reload of the YAML routes, on unless {@code crm.routes.watch.enabled=false}. This is the app's own
 * reload, not Camel's {@code routes-reload-enabled}, which Camel documents as a development feature: it applies a
 * file without validating it first and, on failure, can leave routes removed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutesProperties.class)
class RoutesReloadConfiguration {

    @Bean
    @ConditionalOnProperty(name = "crm.routes.watch.enabled", matchIfMissing = true)
    RoutesWatcher routesWatcher(RoutesProperties properties, CamelContext camel, ListableBeanFactory beans,
            Environment environment, MeterRegistry meters) {
        RoutesValidator validator = new RoutesValidator(new SpringBeanCatalog(beans), environment);
        DirectoryReload reload = new DirectoryReload(properties.dir(), validator, new RoutesReloader(camel),
                new ReloadMetrics(meters));
        return new RoutesWatcher(properties.dir(), properties.watch(), reload);
    }
}
