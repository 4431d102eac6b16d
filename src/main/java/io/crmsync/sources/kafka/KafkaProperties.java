package io.crmsync.sources.kafka;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.kafka.*}: Debezium change events read from Kafka topics (routes/cdc.camel.yaml, route cdc-kafka).
 *
 * @param bootstrapServers   {@code host:9092,...}; blank turns the Kafka source off
 * @param topics             comma-separated topics of Debezium change events
 * @param group              consumer group
 * @param lagThreshold       messages behind (all partitions) before readiness goes DOWN and the alert fires
 * @param rebalanceThreshold rebalances within {@code rebalanceWindow} that mean the group keeps rebalancing
 * @param rebalanceWindow    the window those rebalances are counted in
 * @param checkInterval      how often the group's lag is read
 */
@Validated
@ConfigurationProperties("crm.kafka")
public record KafkaProperties(String bootstrapServers, @NotBlank String topics, @NotBlank String group,
        @Positive long lagThreshold, @Positive int rebalanceThreshold, @NotNull Duration rebalanceWindow,
        @NotNull Duration checkInterval) {

    public boolean enabled() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }
}
