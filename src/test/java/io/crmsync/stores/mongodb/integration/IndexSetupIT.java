package io.crmsync.stores.mongodb.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.write.Write;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.EventWriter;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The guard indexes mongo-java-server needs (IndexSetup) are made before a collection's first write; one whose creation
 * failed must be made by a later write, not only after a restart.
 */
class IndexSetupIT {

    private static final CanonicalEvent EVENT = new CanonicalEvent("e1", "user.created", "t", null, null,
            Instant.ofEpochSecond(1_700_000_000L), Map.of(), Map.of(), "test", "e1", Map.of());
    private static final Write USER = new Write.FieldUpdate("users", "u1", Map.of("email", "a@x"));

    @Test
    void aGuardIndexThatCouldNotBeCreatedIsCreatedWithTheNextWrite() throws Exception {
        EmbeddedMongo server = EmbeddedMongo.start();
        int port = server.port();
        try (MongoClient client = MongoClients.create(server.uri("crm") + "?serverSelectionTimeoutMS=500")) {
            EventWriter writer = new EventWriter(new Collections(client.getDatabase("crm"), Map.of()));
            server.close();

            // expected in the log: MongoDB is unreachable, so the write and its index creation fail
            assertThatThrownBy(() -> writer.apply(EVENT, USER)).isInstanceOf(MongoException.class);

            server = EmbeddedMongo.start(port);
            applyOnceReachable(writer, Duration.ofSeconds(15));

            List<Document> keys = client.getDatabase("crm").getCollection("users").listIndexes()
                    .map(index -> index.get("key", Document.class)).into(new ArrayList<>());
            assertThat(keys).extracting(Document::keySet).anySatisfy(key ->
                    assertThat(key).containsExactly("_id", "tenantId", "_sync.rev"));
            assertThat(client.getDatabase("crm").getCollection("users").countDocuments()).isEqualTo(1);
        } finally {
            server.close();
        }
    }

    /** The driver finds the restarted server at its next heartbeat; until then a write fails as before. */
    private static void applyOnceReachable(EventWriter writer, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                writer.apply(EVENT, USER);
                return;
            } catch (MongoException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
