package io.crmsync.config;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.StartCondition;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The redis-streams component, named as its URI scheme so every route's {@code redis-streams:} endpoint gets these
 * defaults: one Redis URL, this instance's consumer name and group, and the streams' numbers as the app's meters.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamsProperties.class)
class StreamsConfiguration {

    @Bean("redis-streams")
    RedisStreamsComponent redisStreamsComponent(CrmSyncProperties properties, StreamsProperties streams,
            ConsumerName consumerName, MeterRegistry meters, ObjectProvider<StartCondition> startCondition) {
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(properties.redisUrl());
        component.setConfiguration(streams.configuration(consumerName.value()));
        component.setStatsListener(new StreamMeters(meters));
        // consumers wait for the servers their routes need (io.crmsync.startup)
        component.setStartCondition(startCondition.getIfAvailable());
        return component;
    }
}
