package io.crmsync.ops;

import com.mongodb.client.MongoClient;
import com.mongodb.connection.ClusterDescription;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.WriteAcknowledgements;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * MongoDB for readiness: reachable, and acknowledging writes. Reads the driver's own view of the cluster, which its
 * monitor threads keep current, instead of sending a command: a probe must answer at once even while the server is
 * unreachable. A replica set that has lost its majority still shows a writable primary there, so the write path's
 * own word counts too: DOWN from a write whose majority acknowledgement timed out until a write is acknowledged again.
 */
@Component("mongo")
class MongoHealthIndicator implements HealthIndicator {

    private final MongoClient client;
    private final WriteAcknowledgements acknowledgements;

    MongoHealthIndicator(MongoClient client, Collections collections) {
        this.client = client;
        this.acknowledgements = collections.acknowledgements();
    }

    @Override
    public Health health() {
        ClusterDescription cluster = client.getClusterDescription();
        WriteAcknowledgements.Failure failing = acknowledgements.failing();
        Health.Builder health = cluster.hasWritableServer() && failing == null ? Health.up() : Health.down();
        if (failing != null) {
            health.withDetail("writes", "not acknowledged by a majority since " + failing.at()
                    + "; entries stay pending and are retried: " + failing.error());
        }
        // addresses only: the URI may carry credentials
        cluster.getServerDescriptions().forEach(server -> health.withDetail(server.getAddress().toString(),
                server.getState() + (server.getType() == null ? "" : " " + server.getType())));
        return health.build();
    }
}
