package io.crmsync.stores.mongodb;

import io.crmsync.core.write.Outcome;

import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * {@code eventProcessingRecords}: one document per stream entry saying what became of it (CONTRACT.md section 3).
 */
public class ProcessingRecords {

    private final Collections collections;
    private final boolean enabled;

    public ProcessingRecords(Collections collections, boolean enabled) {
        this.collections = collections;
        this.enabled = enabled;
    }

    /**
     * Writes the records of many entries: inserted in one bulk write, and replaced where an earlier delivery of the
     * same entry left one (a record says what became of the latest delivery).
     */
    public void recordAll(List<Entry> entries) {
        if (!enabled || entries.isEmpty()) {
            return;
        }
        // a BSON date: the sync log sorts by it, and ISO text sorts "...05Z" after "...05.5Z"
        Date processedAt = new Date();
        GuardedBulk<Document> inserts = new GuardedBulk<>();
        entries.forEach(entry -> {
            Document record = entry.toDocument(processedAt);
            inserts.add(new InsertOneModel<>(record), record);
        });
        MongoCollection<Document> collection = collections.get("eventProcessingRecords");
        GuardedBulk.Result<Document> inserted;
        GuardedBulk.Result<Document> replaced;
        try {
            inserted = inserts.execute(collection);
            GuardedBulk<Document> replaces = new GuardedBulk<>();
            inserted.lost().forEach(record -> replaces.add(new ReplaceOneModel<>(new Document("_id", record.get("_id")),
                    record, new ReplaceOptions().upsert(true)), record));
            replaced = replaces.execute(collection);
        } catch (RuntimeException e) {
            if (MongoFailures.isUnacknowledged(e)) {
                collections.acknowledgements().unacknowledged(e);
            }
            throw e;
        }
        collections.acknowledgements().acknowledged();
        inserted.failed().stream().findFirst().or(() -> replaced.failed().stream().findFirst()).ifPresent(failure -> {
            throw failure.error();
        });
    }

    /**
     * One entry's record.
     *
     * @param origin   {@code <stream>/<entry id>}
     * @param attempts deliveries so far, this one included
     * @param error    null unless dead-lettered
     * @param entityKey the key of the entity the event writes (a document's id, an agent's uid), once its mapping
     *                  named it: an entity's sync log is its records with this key
     * @param reason   why a skipped event was skipped (the mapping's skip reason), else null
     * @param target   where its write went, {@code <collection or table>/<key>}, else null
     */
    public record Entry(String origin, String eventId, String eventType, String tenantId, String entityKey,
            Outcome outcome, long attempts, String error, String reason, String target) {

        public Entry(String origin, String eventId, String eventType, String tenantId, Outcome outcome, long attempts,
                String error) {
            this(origin, eventId, eventType, tenantId, null, outcome, attempts, error, null, null);
        }

        Document toDocument(Date processedAt) {
            Document record = new Document("_id", origin).append("eventId", eventId).append("eventType", eventType)
                    .append("tenantId", tenantId).append("entityKey", entityKey).append("status", outcome.status())
                    .append("attempts", attempts)
                    .append("error", error).append("processedAt", processedAt);
            if (target != null) {
                record.append("target", target);
            }
            return reason == null ? record : record.append("reason", reason);
        }
    }
}
