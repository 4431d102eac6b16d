package io.crmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.core.outcome.OutcomeRecord;
import io.crmsync.core.write.Outcome;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.ProcessingRecords;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * processedAt is stored as a BSON date, so records sort by time (as text, "...05Z" sorted after "...05.5Z"); the ops
 * tools still show it as ISO-8601 text.
 */
class SyncLogTest {

    @Test
    void processedAtIsStoredAsADateAndShownAsIsoText() throws InterruptedException {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.uri("crm"))) {
            Collections collections = new Collections(client.getDatabase("crm"), Map.of());
            ProcessingRecords records = new ProcessingRecords(collections, true);
            records.recordAll(List.of(new OutcomeRecord("s/1-0", "e1", "user.created", "t1", "u1",
                    Outcome.PROCESSED, 1, null, null, null)));
            Thread.sleep(5);
            records.recordAll(List.of(new OutcomeRecord("s/2-0", "e2", "user.updated", "t1", "u1",
                    Outcome.PROCESSED, 1, null, null, null)));

            Document stored = client.getDatabase("crm").getCollection("eventProcessingRecords").find().first();
            assertThat(stored.get("processedAt")).isInstanceOf(Date.class);

            List<Map<String, Object>> log = new SyncLog(collections).of("u1", "t1", 10);
            assertThat(log).extracting(record -> record.get("_id")).containsExactly("s/2-0", "s/1-0");
            assertThat(log).allSatisfy(record -> assertThat(record.get("processedAt")).isInstanceOfSatisfying(String.class,
                    text -> assertThat(Instant.parse(text)).isBefore(Instant.now().plusSeconds(1))));
            assertThat(new SyncLog(collections).recent(10)).extracting(record -> record.get("_id"))
                    .containsExactly("s/2-0", "s/1-0");
        }
    }
}
