package io.crmsync.stores.mongodb;

import static io.crmsync.embedded.RefusingMongo.commandFailed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.IndexOptions;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.RefusingMongo;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A lookup's index that MongoDB refuses to build is logged once and never fails the lookup, nor the next. */
class LookupsTest {

    @Test
    void aRefusedLookupIndexIsLoggedOnceAndNeverTriedAgainNorFailsALookup() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(IndexSetup.class);
        logger.addAppender(logs);
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.uri("crm"))) {
            RefusingMongo mongo = new RefusingMongo().asMongod()
                    .refuse(call -> call.method().equals("createIndex") && call.collection().equals("crmorganizations"),
                            commandFailed(13, "Unauthorized", "not authorized on crm to execute command { createIndexes: "
                                    + "\"crmorganizations\" }"));
            Collections collections = new Collections(mongo.wrap(client.getDatabase("crm")),
                    Map.of("organizations", "crmorganizations"));
            collections.get("organizations").insertOne(new Document("_id", "o1").append("tenantId", "t1")
                    .append("orgCode", "ORG1").append("name", "Acme"));
            Lookups lookups = new Lookups(collections, Duration.ZERO, Clock.systemUTC());

            Document first = lookups.find("t1", "organizations", Map.of("orgCode", "ORG1"));
            Document second = lookups.find("t1", "organizations", Map.of("orgCode", "ORG1"));

            assertThat(first).containsEntry("name", "Acme");
            assertThat(second).containsEntry("name", "Acme");
            assertThat(mongo.calls()).filteredOn(call -> call.method().equals("createIndex")).singleElement()
                    .satisfies(call -> assertThat(((IndexOptions) call.args().get(1)).getName())
                            .isEqualTo("crm_sync_lookup_orgCode"));
            assertThat(logs.list).filteredOn(line -> line.getLevel() == Level.WARN).singleElement()
                    .satisfies(line -> assertThat(line.getFormattedMessage()).contains("13 Unauthorized")
                            .contains("db.getCollection(\"crmorganizations\").createIndex({\"tenantId\": 1, \"orgCode\": 1}, "
                                    + "{\"name\": \"crm_sync_lookup_orgCode\"})"));
        } finally {
            logger.detachAppender(logs);
        }
    }
}
