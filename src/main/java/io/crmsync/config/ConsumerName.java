package io.crmsync.config;

import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import org.springframework.stereotype.Component;

/**
 * This instance's consumer name in every group: configured, else the host name, which on Kubernetes is the pod name
 * and so stays stable across restarts of the same pod and distinct between replicas.
 */
@Component
public class ConsumerName {

    private final String value;

    ConsumerName(CrmSyncProperties properties) {
        this.value = properties.consumerName() != null && !properties.consumerName().isBlank()
                ? properties.consumerName().trim() : RedisStreamsConfiguration.defaultConsumerName();
    }

    public String value() {
        return value;
    }
}
