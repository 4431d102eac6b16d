package io.crmsync.routes;

import java.io.IOException;
import java.util.List;

import io.crmsync.core.mapping.Mappings;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RoutesReloadConfiguration.class);

    /**
     * The mappings of the routes directory's {@code *.mapping.yaml}, read before any route starts. A broken file fails
     * the start, naming each problem, as a broken routes file does.
     */
    @Bean
    Mappings mappings(RoutesProperties properties, CamelContext camel) {
        Mappings mappings = new Mappings();
        // the files' aliases:, in effect for every event parsed from now on, and after each reload of them
        mappings.onAliases(io.crmsync.core.event.EventTypes::useAliases);
        List<Problem> problems;
        try {
            problems = MappingFiles.loadAll(properties.dir(), camel, mappings);
        } catch (IOException e) {
            // as for routes: the re-scan applies the files once the directory can be read
            LOG.warn("Cannot read mapping files in {} ({}); they are applied once it can be read", properties.dir(), e.toString());
            return mappings;
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Mapping files in " + properties.dir().toAbsolutePath() + " have problems:\n  "
                    + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
        }
        LOG.info("Mappings in effect from {}: {} files", properties.dir(), mappings.files().size());
        return mappings;
    }

    @Bean
    @ConditionalOnProperty(name = "crm.routes.watch.enabled", matchIfMissing = true)
    RoutesWatcher routesWatcher(RoutesProperties properties, CamelContext camel, ListableBeanFactory beans,
            Environment environment, MeterRegistry meters, Mappings mappings) {
        RoutesValidator validator = new RoutesValidator(new SpringBeanCatalog(beans), environment);
        DirectoryReload reload = new DirectoryReload(properties.dir(), validator, new RoutesReloader(camel),
                new ReloadMetrics(meters), mappings, camel);
        return new RoutesWatcher(properties.dir(), properties.watch(), reload);
    }
}
