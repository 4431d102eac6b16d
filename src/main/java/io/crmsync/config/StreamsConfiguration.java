package io.crmsync.config;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The redis-streams component, named as its URI scheme so every route's {@code redis-streams:} endpoint gets these
 * defaults: one Redis URL, this instance's consumer name, the app's meter registry.
 */
@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

    @Bean("redis-streams")
    RedisStreamsComponent redisStreamsComponent(CrmSyncProperties properties, ConsumerName consumerName, MeterRegistry meters) {
        CrmSyncProperties.Streams streams = properties.streams();
        RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();
        configuration.setRedisUrl(properties.redisUrl());
        configuration.setConsumerName(consumerName.value());
        configuration.setGroup(streams.group());
        configuration.setMaxDeliveries(streams.maxDeliveries());
        configuration.setMinIdleTime(streams.minIdleTime());
        configuration.setReclaimInterval(streams.reclaimInterval());
        configuration.setBatchSize(streams.batchSize());
        configuration.setBlockTime(streams.blockTime());
        configuration.setConsumersCount(streams.consumersCount());
        configuration.setMaxInFlight(streams.maxInFlight());
        configuration.setMeterRegistry(meters);
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setConfiguration(configuration);
        return component;
    }
}
