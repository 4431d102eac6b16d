package io.crmsync.stores.mongodb.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ValidationOptions;
import io.crmsync.integration.ContainerImages;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;
import io.crmsync.stores.mongodb.EventWriter;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Every convergence and concurrency test of {@link ConvergenceIT} against a real MongoDB replica set, where a Docker
 * engine exists: the guarded writes must hold on mongod's own concurrency, not only on the embedded server's. Then
 * what only a real server refuses: indexes the CRM already has, a document nested past 200 levels, a validator, a
 * document grown past 16 MiB. Skipped without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersConvergenceIT extends ConvergenceIT {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer(ContainerImages.MONGO);

    // these hide ConvergenceIT's, so the embedded server is not started
    @BeforeAll
    static void start() {
        try (var dba = MongoClients.create(MONGO.getReplicaSetUrl("crm"))) {
            MongoDatabase crm = dba.getDatabase("crm");
            // the CRM's own indexes, made before crm-sync ever ran: same keys under other names (85), and crm-sync's
            // name on other keys (86). Neither may stop the writer from being made, nor a write
            crm.getCollection("tenants").createIndex(Indexes.ascending("status"), new IndexOptions().name("status_by_dba"));
            crm.getCollection("eventProcessingRecords").createIndex(Indexes.ascending("entityKey"),
                    new IndexOptions().name("crm_sync_records_by_entity"));
            crm.getCollection("creditLedger").createIndex(Indexes.ascending("tenantId", "entityId"),
                    new IndexOptions().name("ledger_by_entity").background(true));
            crm.createCollection("validatedUsers", new CreateCollectionOptions().validationOptions(new ValidationOptions()
                    .validator(Filters.or(Filters.exists("email", false), Filters.regex("email", "@")))));
        }
        connect(MONGO.getReplicaSetUrl("crm"));
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private final Map<String, Object> settled = new ConcurrentHashMap<>();

    private void write(String collection, Map<String, Map<String, Object>> fieldsById, long second) {
        List<EventWriter.Request> batch = new ArrayList<>();
        fieldsById.forEach((id, fields) -> batch.add(new EventWriter.Request(new CanonicalEvent("e-" + id + "-" + second,
                "test", "t", null, null, Instant.ofEpochSecond(1_700_000_000L + second), Map.of(), Map.of(), "test",
                id + "-" + second, Map.of()), new Write.FieldUpdate(collection, id, fields),
                Settle.of(outcome -> settled.put(id, outcome), failure -> settled.put(id, failure)))));
        try {
            writer.applyAll(batch);
        } catch (RuntimeException e) {
            // expected when a request fails: each one is settled, and asserted on below
        }
    }

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = Map.of("a", 1);
        for (int i = 1; i < levels; i++) {
            inner = Map.of("a", inner);
        }
        return inner;
    }

    private static Document stored(String collection, String id) {
        return client.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }

    private void assertWriteRejected(String id, String serverMessage) {
        assertThat(settled.get(id)).isInstanceOfSatisfying(EventRejectedException.class, rejected -> {
            assertThat(rejected.reason().code()).isEqualTo("write-rejected");
            assertThat(rejected.getMessage()).contains(serverMessage);
        });
    }

    /** The CRM's indexes on the same keys are used, not duplicated, and crm-sync adds the reconciler's own. */
    @Test
    void indexesTheCrmAlreadyHasAreUsedAndTheWritesGoOn() {
        writer.apply(new CanonicalEvent("credit-1", "credit.allocated", "t", null, null, Instant.now(), Map.of(), Map.of(),
                "test", "credit-1", Map.of()), new Write.CreditMovement("creditLedger", "creditBalances", "w1",
                new BigDecimal("5"), ValueType.DECIMAL, Map.of()));

        List<Document> ledger = client.getDatabase("crm").getCollection("creditLedger").listIndexes().into(new ArrayList<>());
        assertThat(ledger).filteredOn(index -> index.get("key", Document.class).keySet().equals(
                new java.util.LinkedHashSet<>(List.of("tenantId", "entityId")))).extracting(index -> index.getString("name"))
                .containsExactly("ledger_by_entity");
        assertThat(ledger).extracting(index -> index.getString("name")).contains("crm_sync_ledger_unfolded");
        assertThat(client.getDatabase("crm").getCollection("tenants").listIndexes().into(new ArrayList<>()))
                .extracting(index -> index.getString("name")).containsExactlyInAnyOrder("_id_", "status_by_dba");
    }

    /** mongod refuses a whole bulk write for one document nested past 200 levels: only its event is rejected. */
    @Test
    void aBatchRefusedForOneDocumentNestedTooDeepIsWrittenWithoutIt() {
        Map<String, Map<String, Object>> batch = new LinkedHashMap<>();
        batch.put("deep-ok-1", Map.of("email", "1@acme.test"));
        batch.put("deep-culprit", Map.of("email", "2@acme.test", "profile", nested(250)));
        batch.put("deep-ok-2", Map.of("email", "3@acme.test"));

        write("users", batch, 1);

        assertThat(stored("users", "deep-ok-1")).isNotNull();
        assertThat(stored("users", "deep-ok-2")).isNotNull();
        assertThat(stored("users", "deep-culprit")).isNull();
        assertWriteRejected("deep-culprit", "depth");
    }

    /** A collection validator refuses one document (121): it alone is rejected. */
    @Test
    void aDocumentTheValidatorRefusesIsRejectedAlone() {
        Map<String, Map<String, Object>> batch = new LinkedHashMap<>();
        batch.put("valid-1", Map.of("email", "1@acme.test"));
        batch.put("invalid", Map.of("email", "not an address"));
        batch.put("valid-2", Map.of("email", "2@acme.test"));

        write("validatedUsers", batch, 1);

        assertThat(stored("validatedUsers", "valid-1")).isNotNull();
        assertThat(stored("validatedUsers", "valid-2")).isNotNull();
        assertThat(stored("validatedUsers", "invalid")).isNull();
        assertWriteRejected("invalid", "Document failed validation");
    }

    /** An update that would grow a document past 16 MiB (17419) is rejected; the document keeps what it had. */
    @Test
    void anUpdateThatWouldGrowADocumentPastSixteenMebibytesIsRejected() {
        write("users", Map.of("grown", Map.of("bio", "x".repeat(9 * 1024 * 1024))), 1);
        write("users", Map.of("grown", Map.of("notes", "y".repeat(9 * 1024 * 1024))), 2);

        assertWriteRejected("grown", "larger than");
        assertThat(stored("users", "grown")).containsKey("bio").doesNotContainKey("notes");
    }
}
