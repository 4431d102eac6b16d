package io.crmsync.sources.kafka;

import io.crmsync.sources.debezium.ChangeFeed;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Debezium change events read from Kafka topics (route {@code cdc-kafka} of routes/cdc.camel.yaml): the commit step,
 * the group watch camel-kafka subscribes through, and the group's part of the {@code cdc} health check.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaProperties.class)
class KafkaConfiguration {

    @Bean
    KafkaCommits kafkaCommits() {
        return new KafkaCommits();
    }

    /** camel-kafka subscribes its consumers through the bean of this name: here, counting rebalances. */
    @Bean(initMethod = "start", destroyMethod = "close")
    KafkaGroupWatch subscribeAdapter(KafkaProperties properties, MeterRegistry meters) {
        return new KafkaGroupWatch(properties, meters, Clock.systemUTC());
    }

    @Bean
    ChangeFeed kafkaFeed(KafkaProperties kafka, KafkaGroupWatch subscribeAdapter) {
        return health -> {
            if (!kafka.enabled()) {
                health.withDetail("kafka", "off: crm.kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is not set");
                return null;
            }
            health.withDetail("group", kafka.group()).withDetail("kafkaLag", subscribeAdapter.lag());
            return subscribeAdapter.failure();
        };
    }
}
