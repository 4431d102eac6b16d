package io.crmsync.config;

import java.time.Duration;
import java.util.Map;

import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.streams.*}: the defaults of every {@code redis-streams:} endpoint, checked here and handed to the
 * component by {@link #configuration(String)}, so a consumer option is set in application.yaml and nowhere else (a
 * route's URI parameters may still override it). The component's own {@code @UriParam}s document what each does.
 *
 * @param group            consumer group of the crm:sync:* and credit-events streams
 * @param assignmentsGroup consumer group of crm:organization-assignments (a route setting: organizations.camel.yaml)
 * @param interAppGroup    consumer group of inter-app-events (a route setting: inter-app.camel.yaml)
 * @param maxDeliveries    deliveries after which an entry is dead-lettered as max-deliveries
 * @param minIdleTime      how long another consumer's entry stays pending before a live one reclaims it
 * @param reclaimInterval  how often the group's pending entries are checked for reclaiming
 * @param batchSize        entries read per XREADGROUP
 * @param blockTime        how long one XREADGROUP waits for new entries
 * @param consumersCount   consumer threads per stream
 * @param maxInFlight      entries in flight per route; reading pauses at this bound
 * @param typeOverrides    stream key to the event type all its entries have, whatever they say (the parser's)
 */
@Validated
@ConfigurationProperties("crm.streams")
public record StreamsProperties(@NotBlank String group, @NotBlank String assignmentsGroup,
        @NotBlank String interAppGroup, @Positive int maxDeliveries, @NotNull Duration minIdleTime,
        @NotNull Duration reclaimInterval, @Positive int batchSize, @NotNull Duration blockTime,
        @Positive int consumersCount, @Positive int maxInFlight, Map<String, String> typeOverrides) {

    public StreamsProperties {
        typeOverrides = typeOverrides == null ? Map.of() : Map.copyOf(typeOverrides);
    }

    /** The component's configuration: these settings, as this instance's consumer. */
    RedisStreamsConfiguration configuration(String consumerName) {
        RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();
        configuration.setConsumerName(consumerName);
        configuration.setGroup(group);
        configuration.setMaxDeliveries(maxDeliveries);
        configuration.setMinIdleTime(minIdleTime);
        configuration.setReclaimInterval(reclaimInterval);
        configuration.setBatchSize(batchSize);
        configuration.setBlockTime(blockTime);
        configuration.setConsumersCount(consumersCount);
        configuration.setMaxInFlight(maxInFlight);
        return configuration;
    }
}
