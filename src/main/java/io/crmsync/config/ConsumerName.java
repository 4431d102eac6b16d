package io.crmsync.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

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
                ? properties.consumerName().trim() : hostName();
    }

    public String value() {
        return value;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "crm-sync";
        }
    }
}
