package io.crmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.RefusingMongo;
import io.crmsync.stores.mongodb.Collections;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Readiness while a replica set has lost its majority: the primary is there (the driver sees a writable server), but
 * no write is acknowledged. The writes say so; readiness is DOWN, naming it, until one is acknowledged again.
 */
class MongoHealthIndicatorTest {

    @Test
    void readinessIsDownFromAWriteNotAcknowledgedUntilAWriteIsAcknowledged() {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.uri("crm"))) {
            Collections collections = new Collections(client.getDatabase("crm"), Map.of());
            collections.database().runCommand(new Document("ping", 1)); // the driver has found the server
            MongoHealthIndicator indicator = new MongoHealthIndicator(client, collections);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            collections.acknowledgements().unacknowledged(RefusingMongo.writeConcernFailed(
                    BulkWriteResult.acknowledged(0, 1, 0, 1, List.of(), List.of())));
            Health down = indicator.health();

            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("writes")).asString().contains("not acknowledged by a majority")
                    .contains("WriteConcernFailed").contains("pending");

            collections.acknowledgements().acknowledged();

            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(indicator.health().getDetails()).doesNotContainKey("writes");
        }
    }
}
