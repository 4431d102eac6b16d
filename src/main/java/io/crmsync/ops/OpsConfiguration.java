package io.crmsync.ops;

import java.time.Clock;

import io.crmsync.config.ConsumerName;
import io.micrometer.core.instrument.MeterRegistry;

import io.crmsync.config.CrmSyncProperties;
import io.crmsync.config.StreamsProperties;
import io.crmsync.sources.debezium.ChangeEvents;
import io.crmsync.sources.kafka.KafkaProperties;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.crmsync.stores.mongodb.Collections;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ops services, shared by the actuator endpoints and the jar's commands.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ParkingLotProperties.class, ConsoleProperties.class, OpsProperties.class,
        DedupProperties.class})
class OpsConfiguration {

    @Bean(destroyMethod = "close")
    OpsRedis opsRedis(CrmSyncProperties properties) {
        return new OpsRedis(properties.redisUrl());
    }

    @Bean
    StreamCatalog streamCatalog(CamelContext camel) {
        return new StreamCatalog(camel);
    }

    @Bean
    StreamsStatus streamsStatus(OpsRedis redis, StreamCatalog catalog) {
        return new StreamsStatus(redis, catalog);
    }

    @Bean
    DeadLetterTool deadLetterTool(OpsRedis redis, CrmSyncProperties properties, ProducerTemplate producer,
            ChangeEvents changeEvents, KafkaProperties kafka, StreamCatalog catalog) {
        return new DeadLetterTool(redis, properties.deadLetter().stream(), producer, changeEvents,
                java.util.Arrays.stream(kafka.topics().trim().split("\\s*,\\s*"))
                        .collect(java.util.stream.Collectors.toSet()), catalog);
    }

    @Bean
    PendingRedrive pendingRedrive(OpsRedis redis, StreamCatalog catalog, CamelContext camel, StreamsProperties streams) {
        return new PendingRedrive(redis, catalog, camel, streams.minIdleTime().dividedBy(2));
    }

    @Bean
    Verifier verifier(OpsRedis redis, RedisStreamEntries entries, CamelContext camel, ProducerTemplate producer,
            Collections collections) {
        return new Verifier(redis, entries, new HandlerRoutes(camel), producer, collections);
    }

    @Bean
    ParkingLot parkingLot(DeadLetterTool deadLetters, OpsRedis redis,
            ParkingLotProperties properties, MeterRegistry meters, ConsumerName consumerName) {
        return new ParkingLot(deadLetters, redis, properties, meters, consumerName.value(), Clock.systemUTC());
    }

    @Bean
    Repairer repairer(Verifier verifier, OpsRedis redis, RedisStreamEntries entries, CamelContext camel,
            ProducerTemplate producer, DeadLetterTool deadLetters) {
        return new Repairer(verifier, redis, entries, new HandlerRoutes(camel), producer, deadLetters);
    }

    @Bean
    RepairEndpoint repairEndpoint(Repairer repairer) {
        return new RepairEndpoint(repairer);
    }

    @Bean
    DedupWindow dedupWindow(OpsRedis redis, DedupProperties properties) {
        return new DedupWindow(redis, properties.window());
    }

    /** The web console's address: /console opens its page. */
    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer consoleAddress() {
        return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
            @Override
            public void addViewControllers(org.springframework.web.servlet.config.annotation.ViewControllerRegistry registry) {
                registry.addRedirectViewController("/console", "/console/index.html");
                registry.addRedirectViewController("/console/", "/console/index.html");
            }
        };
    }

    @Bean
    DocumentsEndpoint documentsEndpoint(Collections collections) {
        return new DocumentsEndpoint(collections);
    }

    @Bean
    ConsoleEndpoint consoleEndpoint(CamelContext camel, org.springframework.beans.factory.ListableBeanFactory beans,
            org.springframework.core.env.Environment environment, io.crmsync.routes.RoutesProperties routes,
            StreamHistory history) {
        return new ConsoleEndpoint(camel, io.crmsync.routes.RoutesValidator.forApp(beans, environment), routes.dir(),
                history);
    }

    @Bean
    StreamHistory streamHistory(MeterRegistry meters, ConsoleProperties properties) {
        return new StreamHistory(meters, Clock.systemUTC(), properties.historySpan(), properties.historyInterval());
    }

    /** Samples the history on a daemon thread of its own: a few meter reads, never a call to a server. */
    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ScheduledExecutorService streamHistorySampler(StreamHistory history, ConsoleProperties properties) {
        var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crm-sync-console-history");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.historyInterval().toMillis();
        sampler.scheduleAtFixedRate(history::sample, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        return sampler;
    }

    @Bean
    SyncLog syncLog(Collections collections) {
        return new SyncLog(collections);
    }

    @Bean
    RecordsEndpoint recordsEndpoint(SyncLog log) {
        return new RecordsEndpoint(log);
    }

    @Bean
    StreamsEndpoint streamsEndpoint(StreamsStatus status) {
        return new StreamsEndpoint(status);
    }

    @Bean
    DeadLettersEndpoint deadLettersEndpoint(DeadLetterTool tool) {
        return new DeadLettersEndpoint(tool);
    }

    @Bean
    RedriveEndpoint redriveEndpoint(PendingRedrive redrive) {
        return new RedriveEndpoint(redrive);
    }

    @Bean
    VerifyEndpoint verifyEndpoint(Verifier verifier) {
        return new VerifyEndpoint(verifier);
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(OpsProperties properties) {
        return AdminTokenFilter.registration(properties.adminToken());
    }
}
