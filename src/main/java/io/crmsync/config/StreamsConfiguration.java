package io.crmsync.config;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import io.crmsync.camel.redisstreams.StartCondition;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The redis-streams component, named as its URI scheme so every route's {@code redis-streams:} endpoint gets these
 * defaults: one Redis URL, this instance's consumer name and group, and the streams' numbers as the app's meters.
 */
@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

    @Bean("redis-streams")
    RedisStreamsComponent redisStreamsComponent(CrmSyncProperties properties, ConsumerName consumerName, MeterRegistry meters,
            ObjectProvider<StartCondition> startCondition) {
        CrmSyncProperties.Streams streams = properties.streams();
        RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();
        configuration.setConsumerName(consumerName.value());
        configuration.setGroup(streams.group());
        configuration.setMaxDeliveries(streams.maxDeliveries());
        configuration.setMinIdleTime(streams.minIdleTime());
        configuration.setReclaimInterval(streams.reclaimInterval());
        configuration.setBatchSize(streams.batchSize());
        configuration.setBlockTime(streams.blockTime());
        configuration.setConsumersCount(streams.consumersCount());
        configuration.setMaxInFlight(streams.maxInFlight());
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(properties.redisUrl());
        component.setConfiguration(configuration);
        component.setStatsListener(new StreamMeters(meters));
        // consumers wait for the servers their routes need (io.crmsync.startup)
        component.setStartCondition(startCondition.getIfAvailable());
        return component;
    }
}
