package io.crmsync.stores.mongodb;

import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Write;

import static io.crmsync.embedded.RefusingMongo.commandFailed;
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
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.RefusingMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a real MongoDB refuses in a batch, and what becomes of each event: the one to blame is dead-lettered as
 * {@code write-rejected}, the others are written; a write concern that failed leaves every event pending. The refusals
 * are the driver's own exceptions, built from the server's reply (RefusingMongo); the writes go to mongo-java-server.
 */
class BatchRefusalsTest {

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
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void writeUsers(String... ids) {
        List<EventWriter.Request> batch = new ArrayList<>();
        for (String id : ids) {
            CanonicalEvent event = new CanonicalEvent("e-" + id, "user.created", "t1", null, null,
                    Instant.ofEpochSecond(1_700_000_000L), Map.of(), Map.of(), "crm:sync:user:user_created", "1-" + id, Map.of());
            batch.add(new EventWriter.Request(event, new Write.FieldUpdate("users", id, Map.of("email", id + "@acme.test")),
                    Settle.of(outcome -> settled.put(id, outcome), failure -> settled.put(id, failure))));
        }
        try {
            writer.applyAll(batch);
        } catch (RuntimeException e) {
            // expected when the whole batch fails: each request is settled with the failure, asserted below
        }
    }

    private List<String> stored() {
        return client.getDatabase("crm").getCollection("users").find().map(d -> d.getString("_id")).into(new ArrayList<>());
    }

    /**
     * MongoDB refuses a whole bulk write for one document: nested past 200 levels (15 Overflow), over 16 MiB (10334),
     * grown past it by the update (17419), refused by the validator (121), or a bad value (2).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "15, Overflow, BSONObj exceeds maximum nested object depth: 200",
            "10334, BSONObjectTooLarge, BSONObj size: 16793700 (0x1004464) is invalid. Size must be between 0 and 16793600(16MB)",
            "17419, Location17419, Resulting document after update is larger than 16777216",
            "121, DocumentValidationFailure, Document failed validation",
            "2, BadValue, cannot use the part (a of a.b) to traverse the element"})
    void aBatchRefusedForOneEventIsWrittenWithoutIt(int code, String codeName, String message) {
        mongo.refuse(call -> call.method().equals("bulkWrite") && call.mentions("culprit"), commandFailed(code, codeName, message));

        writeUsers("u1", "u2", "culprit", "u3", "u4", "u5");

        assertThat(stored()).containsExactlyInAnyOrder("u1", "u2", "u3", "u4", "u5");
        assertThat(settled).hasSize(6);
        assertThat(settled.get("culprit")).isInstanceOfSatisfying(EventRejectedException.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(GuardedBulk.WRITE_REJECTED);
            assertThat(rejected.getMessage()).contains("code " + code).contains(message);
        });
        assertThat(settled).hasEntrySatisfying("u1", outcome -> assertThat(outcome).isInstanceOf(Outcome.class));
        assertThat(MongoFailures.isInfrastructure((Throwable) settled.get("culprit"))).isFalse();
    }

    /** A batch of one that MongoDB refuses: dead-lettered as write-rejected, not as a processing error. */
    @Test
    void aSingleEventRefusedByMongoDbIsWriteRejected() {
        mongo.refuse(call -> call.method().equals("bulkWrite"), commandFailed(15, "Overflow",
                "BSONObj exceeds maximum nested object depth: 200"));

        writeUsers("culprit");

        assertThat(settled.get("culprit")).isInstanceOfSatisfying(EventRejectedException.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(GuardedBulk.WRITE_REJECTED));
    }

    /** The realistic shape of 121 and 17419: a writeErrors entry for the one document, the others applied. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"121, Document failed validation", "17419, Resulting document after update is larger than 16777216"})
    void aDocumentRefusedInsideABulkWriteFailsAloneAsWriteRejected(int code, String message) {
        mongo.refuseItems(call -> true, model -> String.valueOf(model).contains("culprit"), code, message);

        writeUsers("u1", "culprit", "u2");

        assertThat(stored()).containsExactlyInAnyOrder("u1", "u2");
        assertThat(settled.get("culprit")).isInstanceOfSatisfying(EventRejectedException.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(GuardedBulk.WRITE_REJECTED);
            assertThat(rejected.getMessage()).contains(message);
        });
    }

    /**
     * The primary applied the writes, but the majority did not acknowledge them in time: every event of the batch
     * fails as infrastructure (its entry stays pending and is retried; the retry is idempotent), none is rejected,
     * and readiness learns of it until a write is acknowledged again.
     */
    @Test
    void aWriteConcernErrorLeavesEveryEventPendingAndReadinessKnowsUntilAWriteIsAcknowledged() {
        mongo.unacknowledged(call -> call.method().equals("bulkWrite") && call.collection().equals("users"));

        writeUsers("u1", "u2", "u3");

        assertThat(settled).hasSize(3).allSatisfy((id, failure) -> {
            assertThat(failure).isInstanceOf(MongoBulkWriteException.class).isNotInstanceOf(EventRejectedException.class);
            assertThat(MongoFailures.isInfrastructure((Throwable) failure)).isTrue();
        });
        assertThat(stored()).containsExactlyInAnyOrder("u1", "u2", "u3");
        assertThat(collections.acknowledgements().failing()).isNotNull()
                .satisfies(failing -> assertThat(failing.error()).contains("WriteConcernFailed").contains("64"));

        mongo.clear();
        settled.clear();
        // the redeliveries find their writes applied and send none: u4's write is the one acknowledged
        writeUsers("u1", "u2", "u3", "u4");

        assertThat(settled).hasSize(4).allSatisfy((id, outcome) -> assertThat(outcome).isInstanceOf(Outcome.class));
        assertThat(collections.acknowledgements().failing()).isNull();
        assertThat(client.getDatabase("crm").getCollection("users").countDocuments()).isEqualTo(4);
    }

    /** MongoDB unreachable in the middle of a batch is not a refusal: no event is singled out, all stay pending. */
    @Test
    void anInfrastructureFailureIsNotIsolated() {
        mongo.refuse(call -> call.method().equals("bulkWrite"), new com.mongodb.MongoSocketReadException(
                "Prematurely reached end of stream", new com.mongodb.ServerAddress()));

        writeUsers("u1", "u2", "u3");

        assertThat(mongo.calls()).filteredOn(call -> call.method().equals("bulkWrite")).hasSize(1);
        assertThat(settled).hasSize(3).allSatisfy((id, failure) ->
                assertThat(MongoFailures.isInfrastructure((Throwable) failure)).isTrue());
        assertThat(stored()).isEmpty();
    }

    /** A document the stand-in stored as sent: nothing of the refusals reaches it. */
    @Test
    void storedDocumentsAreTheEvents() {
        writeUsers("u1");

        Document user = client.getDatabase("crm").getCollection("users").find().first();
        assertThat(user).containsEntry("email", "u1@acme.test").containsEntry("tenantId", "t1");
    }
}
