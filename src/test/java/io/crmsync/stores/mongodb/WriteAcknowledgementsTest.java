package io.crmsync.stores.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Write;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.RefusingMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What readiness reads while a replica set has lost its majority ({@link WriteAcknowledgements}, the {@code writes}
 * detail of the MongoDB check): only a write MongoDB answered says writes are acknowledged again, never a share of a
 * batch that sent none (its events all stale, so it only read, which a primary without its majority still answers).
 */
class WriteAcknowledgementsTest {

    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L);

    private EmbeddedMongo server;
    private MongoClient client;
    private final RefusingMongo mongo = new RefusingMongo();
    private Collections collections;
    private EventWriter writer;
    private final Map<String, Object> settled = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.uri("crm"));
        collections = new Collections(mongo.wrap(client.getDatabase("crm")), Map.of());
        writer = new EventWriter(collections);
        apply(request("roles", "r1", 2));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aBatchPartThatSendsNoWriteLeavesWritesNotAcknowledged() {
        mongo.unacknowledged(call -> call.method().equals("bulkWrite"));

        // the roles part is stale (r1 holds a newer write), so it only reads; it runs after the users part here
        apply(request("roles", "r1", 1), request("users", "u1", 1));

        assertThat(settled.get("roles/r1")).isEqualTo(Outcome.STALE);
        assertThat(settled.get("users/u1")).isInstanceOf(MongoBulkWriteException.class);
        assertThat(collections.acknowledgements().failing()).isNotNull();
        assertThat(collections.acknowledgements().failing().error()).contains("WriteConcernFailed");
    }

    @Test
    void aWriteAcknowledgedAgainEndsTheFailure() {
        mongo.unacknowledged(call -> call.method().equals("bulkWrite"));
        apply(request("users", "u1", 1));
        assertThat(collections.acknowledgements().failing()).isNotNull();
        mongo.clear();

        apply(request("users", "u2", 1));

        assertThat(settled.get("users/u2")).isEqualTo(Outcome.PROCESSED);
        assertThat(collections.acknowledgements().failing()).isNull();
    }

    private EventWriter.Request request(String collection, String id, int second) {
        CanonicalEvent event = new CanonicalEvent("e-" + id + "-" + second, "x.updated", "t1", null, null,
                T.plusSeconds(second), Map.of(), Map.of(), "s", id + "-" + second, Map.of());
        String key = collection + "/" + id;
        return new EventWriter.Request(event, new Write.FieldUpdate(collection, id, Map.of("name", id + "-" + second)),
                Settle.of(outcome -> settled.put(key, outcome), failure -> settled.put(key, failure)));
    }

    private void apply(EventWriter.Request... requests) {
        settled.clear();
        try {
            writer.applyAll(new ArrayList<>(List.of(requests)));
        } catch (RuntimeException e) {
            // expected when a part fails as a whole: each of its requests is settled with the failure, asserted above
        }
    }
}
