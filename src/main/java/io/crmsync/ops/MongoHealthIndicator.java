package io.crmsync.ops;

import com.mongodb.client.MongoClient;
import com.mongodb.connection.ClusterDescription;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * MongoDB reachability for readiness. Reads the driver's own view of the cluster, which its monitor threads keep
 * current, instead of sending a command: a probe must answer at once even while the server is unreachable.
 */
@Component("mongo")
class MongoHealthIndicator implements HealthIndicator {

    private final MongoClient client;

    MongoHealthIndicator(MongoClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        ClusterDescription cluster = client.getClusterDescription();
        Health.Builder health = cluster.hasWritableServer() ? Health.up() : Health.down();
        // addresses only: the URI may carry credentials
        cluster.getServerDescriptions().forEach(server -> health.withDetail(server.getAddress().toString(),
                server.getState() + (server.getType() == null ? "" : " " + server.getType())));
        return health.build();
    }
}
