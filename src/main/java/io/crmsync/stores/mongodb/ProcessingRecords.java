package io.crmsync.stores.mongodb;

import io.crmsync.core.write.Outcome;

import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import io.crmsync.core.outcome.OutcomeRecord;
import io.crmsync.core.outcome.OutcomeRecords;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * {@code eventProcessingRecords}: one document per stream entry saying what became of it (CONTRACT.md section 3). The
 * app's bookkeeping stays in MongoDB whichever store an event writes, so the ops tools find every record in one place.
 */
public class ProcessingRecords implements OutcomeRecords {

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
    @Override
    public void recordAll(List<OutcomeRecord> entries) {
        if (!enabled || entries.isEmpty()) {
            return;
        }
        // a BSON date: the sync log sorts by it, and ISO text sorts "...05Z" after "...05.5Z"
        Date processedAt = new Date();
        GuardedBulk<Document> inserts = new GuardedBulk<>(collections.acknowledgements());
        entries.forEach(entry -> {
            Document record = toDocument(entry, processedAt);
            inserts.add(new InsertOneModel<>(record), record);
        });
        MongoCollection<Document> collection = collections.get("eventProcessingRecords");
        GuardedBulk.Result<Document> inserted;
        GuardedBulk.Result<Document> replaced;
        try {
            inserted = inserts.execute(collection);
            GuardedBulk<Document> replaces = new GuardedBulk<>(collections.acknowledgements());
            inserted.lost().forEach(record -> replaces.add(new ReplaceOneModel<>(new Document("_id", record.get("_id")),
                    record, new ReplaceOptions().upsert(true)), record));
            replaced = replaces.execute(collection);
        } catch (RuntimeException e) {
            if (MongoFailures.isUnacknowledged(e)) {
                collections.acknowledgements().unacknowledged(e);
            }
            throw e;
        }
        inserted.failed().stream().findFirst().or(() -> replaced.failed().stream().findFirst()).ifPresent(failure -> {
            throw failure.error();
        });
    }

    private static Document toDocument(OutcomeRecord entry, Date processedAt) {
        Document record = new Document("_id", entry.origin()).append("eventId", entry.eventId())
                .append("eventType", entry.eventType()).append("tenantId", entry.tenantId())
                .append("entityKey", entry.entityKey()).append("status", entry.outcome().status())
                .append("attempts", entry.attempts())
                .append("error", entry.error()).append("processedAt", processedAt);
        if (entry.target() != null) {
            record.append("target", entry.target());
        }
        return entry.reason() == null ? record : record.append("reason", entry.reason());
    }
}
