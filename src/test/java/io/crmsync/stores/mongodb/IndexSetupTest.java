package io.crmsync.stores.mongodb;

import static io.crmsync.embedded.RefusingMongo.commandFailed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.IndexOptions;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.RefusingMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a real MongoDB answers crm-sync's index builds, and what the user then sees: a start that goes on, and one log
 * line naming the index to create by hand. The answers are the driver's own exceptions, built from the server's reply.
 */
class IndexSetupTest {

    private static final String TENANTS_BY_HAND =
            "db.getCollection(\"tenants\").createIndex({\"status\": 1}, {\"name\": \"crm_sync_tenants_status\"})";

    private EmbeddedMongo server;
    private MongoClient client;
    private final RefusingMongo mongo = new RefusingMongo().asMongod();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.uri("crm"));
        logs.start();
        ((Logger) LoggerFactory.getLogger(IndexSetup.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(IndexSetup.class)).detachAppender(logs);
        client.close();
        server.close();
    }

    private Collections collections(Collections.Options options) {
        return new Collections(mongo.wrap(client.getDatabase("crm")), Map.of(), options);
    }

    private List<String> lines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<IndexOptions> created(String collection) {
        return mongo.calls().stream().filter(call -> call.collection().equals(collection) && call.method().equals("createIndex"))
                .map(call -> (IndexOptions) call.args().get(1)).toList();
    }

    @Test
    void indexesHaveNamesOfCrmSyncsOwn() {
        Collections collections = collections(Collections.Options.DEFAULTS);

        IndexSetup.ensure(collections).ledger("creditLedger", "creditBalances");

        assertThat(created("tenants")).extracting(IndexOptions::getName).containsExactly("crm_sync_tenants_status");
        assertThat(created("eventProcessingRecords")).extracting(IndexOptions::getName)
                .containsExactly("crm_sync_records_by_entity", "crm_sync_records_by_time");
        assertThat(created("creditLedger")).extracting(IndexOptions::getName)
                .containsExactly("crm_sync_ledger_by_entity", "crm_sync_ledger_unfolded");
    }

    /** The reconciler's query every minute filters on folded and recordedAt: the index has both, in that order. */
    @Test
    void eachLedgerGetsAnIndexForTheReconcilersQuery() {
        IndexSetup.ensure(collections(Collections.Options.DEFAULTS)).ledger("creditLedger", "creditBalances");

        assertThat(mongo.calls()).filteredOn(call -> call.method().equals("createIndex")
                        && ((IndexOptions) call.args().get(1)).getName().equals("crm_sync_ledger_unfolded"))
                .singleElement().satisfies(call -> assertThat(((org.bson.conversions.Bson) call.args().get(0))
                        .toBsonDocument().toJson()).isEqualTo("{\"folded\": 1, \"recordedAt\": 1}"));
    }

    /** The CRM's own index on the same keys, under its own name: MongoDB answers 85, and the index is used. */
    @Test
    void anIndexOnTheSameKeysUnderAnotherNameIsAccepted() {
        mongo.refuse(call -> call.method().equals("createIndex") && call.collection().equals("tenants"),
                commandFailed(85, "IndexOptionsConflict", "Index already exists with a different name: status_1"));

        assertThatCode(() -> IndexSetup.ensure(collections(Collections.Options.DEFAULTS))).doesNotThrowAnyException();

        assertThat(logs.list).noneMatch(line -> line.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        assertThat(lines()).anyMatch(line -> line.contains("tenants has an index on {\"status\": 1} already"));
    }

    /** A unique index of the CRM's on the same keys is another option set: 85 as well, and just as usable. */
    @Test
    void anIndexOnTheSameKeysWithOtherOptionsIsAccepted() {
        mongo.refuse(call -> call.method().equals("createIndex") && call.collection().equals("eventProcessingRecords"),
                commandFailed(85, "IndexOptionsConflict", "An existing index has the same name as the requested index. "
                        + "When index names are not specified, they are auto generated and can cause conflicts."));

        assertThatCode(() -> IndexSetup.ensure(collections(Collections.Options.DEFAULTS))).doesNotThrowAnyException();

        assertThat(lines()).anyMatch(line -> line.contains("eventProcessingRecords has an index on") && line.contains("uses it"));
    }

    /** Our name is taken by an index on other keys (86): nothing to use, so the log says what to create, once. */
    @Test
    void aNameTakenByAnIndexOnOtherKeysIsLoggedWithTheIndexToCreateByHand() {
        mongo.refuse(call -> call.method().equals("createIndex") && call.collection().equals("tenants"),
                commandFailed(86, "IndexKeySpecsConflict", "An existing index has the same name as the requested index but "
                        + "different keys. Requested index: { v: 2, key: { status: 1 }, name: \"crm_sync_tenants_status\" }"));

        assertThatCode(() -> IndexSetup.ensure(collections(Collections.Options.DEFAULTS))).doesNotThrowAnyException();

        assertThat(logs.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN).singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage()).contains("86 IndexKeySpecsConflict")
                        .contains(TENANTS_BY_HAND));
    }

    /** A user without the createIndex privilege (13): the start goes on, and the log names the index for the DBA. */
    @Test
    void anUnauthorizedIndexBuildNeverFailsTheStartAndIsLoggedWithTheIndexToCreateByHand() {
        mongo.refuse(call -> call.method().equals("createIndex"), commandFailed(13, "Unauthorized",
                "not authorized on crm to execute command { createIndexes: \"tenants\", ... }"));

        assertThatCode(() -> IndexSetup.ensure(collections(Collections.Options.DEFAULTS))).doesNotThrowAnyException();

        assertThat(logs.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN).hasSize(3)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("13 Unauthorized").contains(TENANTS_BY_HAND))
                .anySatisfy(line -> assertThat(line).contains("db.getCollection(\"eventProcessingRecords\").createIndex("
                        + "{\"entityKey\": 1, \"tenantId\": 1, \"processedAt\": -1}, {\"name\": \"crm_sync_records_by_entity\"})"));
    }

    /** A refused ledger index is tried at the ledger's first movement only, not again at every movement. */
    @Test
    void aRefusedLedgerIndexIsTriedOnceAndLoggedOnce() {
        mongo.refuse(call -> call.method().equals("createIndex") && call.collection().equals("creditLedger"),
                commandFailed(13, "Unauthorized", "not authorized on crm to execute command { createIndexes: \"creditLedger\" }"));
        IndexSetup setup = IndexSetup.ensure(collections(Collections.Options.DEFAULTS));

        setup.ledger("creditLedger", "creditBalances");
        setup.ledger("creditLedger", "creditBalances");

        assertThat(created("creditLedger")).hasSize(2);
        assertThat(logs.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN).hasSize(2);
    }

    /**
     * The start-up asks for the console's index, and for a lookup's: refused (13), each is logged then. The console's
     * and the lookup's first use ask again, and find them done: nothing is sent, nothing logged twice.
     */
    @Test
    void anIndexRefusedAtStartUpIsNeitherAskedNorLoggedAgainAtItsFirstUse() {
        mongo.refuse(call -> call.method().equals("createIndex"), commandFailed(13, "Unauthorized",
                "not authorized on crm to execute command { createIndexes: ... }"));
        Collections collections = collections(Collections.Options.DEFAULTS);
        Lookups lookups = new Lookups(collections, java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC());
        IndexSetup.ensure(collections);
        lookups.ensureIndex("organizations", java.util.Set.of("orgCode"));

        // the console's first request (ops SyncLog), and an event's lookup by orgCode
        IndexSetup.create(collections, "eventProcessingRecords", "crm_sync_records_by_time",
                com.mongodb.client.model.Indexes.descending("processedAt"), new IndexOptions());
        lookups.find("t1", "organizations", Map.of("orgCode", "C1"));

        assertThat(created("eventProcessingRecords")).extracting(IndexOptions::getName)
                .containsOnlyOnce("crm_sync_records_by_time");
        assertThat(created("organizations")).hasSize(1);
        assertThat(logs.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.contains("crm_sync_records_by_time") || line.contains("crm_sync_lookup_orgCode"))
                .hasSize(2);
    }

    /** crm.mongo.create-indexes=false: no createIndex is sent; each expected index is logged for the DBA instead. */
    @Test
    void withIndexCreationOffNothingIsCreatedAndEachIndexIsLogged() {
        IndexSetup.ensure(collections(new Collections.Options(false, java.time.Duration.ofSeconds(10))))
                .ledger("creditLedger", "creditBalances");

        assertThat(mongo.calls()).noneMatch(call -> call.method().equals("createIndex"));
        assertThat(lines()).anyMatch(line -> line.contains(TENANTS_BY_HAND))
                .anyMatch(line -> line.contains("db.getCollection(\"creditLedger\").createIndex({\"folded\": 1, "
                        + "\"recordedAt\": 1}, {\"name\": \"crm_sync_ledger_unfolded\"})"));
    }

    /** MongoDB unreachable is not a refusal: it is thrown, so the creation is tried again (IndexSetupIT). */
    @Test
    void aServerThatCannotBeReachedIsNotTakenForARefusal() {
        Collections collections = collections(Collections.Options.DEFAULTS);
        mongo.refuse(call -> call.method().equals("createIndex"), new com.mongodb.MongoSocketReadException(
                "Prematurely reached end of stream", new com.mongodb.ServerAddress()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IndexSetup.create(collections, "tenants",
                "crm_sync_tenants_status", com.mongodb.client.model.Indexes.ascending("status"), new IndexOptions()))
                .isInstanceOf(com.mongodb.MongoSocketReadException.class);
    }

    /** The stand-in gets the same names: a sanity check that the wrapper passes calls through. */
    @Test
    void theWrappedStandInStillAnswers() {
        Collections collections = collections(Collections.Options.DEFAULTS);
        collections.get("users").insertOne(new Document("_id", "u1"));

        assertThat(collections.get("users").countDocuments()).isEqualTo(1);
    }
}
