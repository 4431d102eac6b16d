package io.crmsync.persistence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Per-field last-writer-wins on event time, so a document converges to the same state whatever order its events
 * are consumed in, and a redelivered event changes nothing (CONTRACT.md invariants 2 to 4).
 * <p>
 * Each document keeps, under {@code _sync.stamps}, the stamp of the event that last wrote each field, and a
 * revision under {@code _sync.rev}. An event reads the document, keeps the fields it is newer for, and writes them
 * with a compare-and-set on the revision; a lost race re-reads. This needs neither transactions nor update
 * pipelines, so it is correct on MongoDB and on the wire-compatible servers tests and the demo use.
 */
final class FieldwiseUpsert {

    static final String SYNC = "_sync";
    private static final Set<String> RESERVED = Set.of("_id", SYNC, "tenantId");
    private static final int MAX_ATTEMPTS = 16;

    Outcome apply(MongoCollection<Document> collection, String id, String tenantId, Stamp stamp, Map<String, Object> fields) {
        for (String key : fields.keySet()) {
            if (RESERVED.contains(key)) {
                throw new EventRejectedException(RejectReason.UNSAFE_KEY, "field '" + key + "' is reserved by crm-sync");
            }
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Document current = collection.find(Filters.eq("_id", id)).first();
            if (current == null) {
                if (insert(collection, id, tenantId, stamp, fields)) {
                    return Outcome.PROCESSED;
                }
                continue; // someone inserted it first: merge into theirs
            }
            if (!tenantId.equals(current.getString("tenantId"))) {
                throw new EventRejectedException(RejectReason.TENANT_MISMATCH,
                        collection.getNamespace().getCollectionName() + " " + id + " belongs to another tenant");
            }
            Document sync = current.get(SYNC, Document.class);
            Document stamps = sync == null ? new Document() : sync.get("stamps", new Document());
            long rev = sync == null ? 0 : ((Number) sync.get("rev", 0L)).longValue();

            Map<String, Object> newer = new LinkedHashMap<>();
            boolean olderThanSome = false;
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                String written = stamps.getString(field.getKey());
                int order = written == null ? 1 : stamp.compareTo(new Stamp(written));
                if (order > 0) {
                    newer.put(field.getKey(), field.getValue());
                } else if (order < 0) {
                    olderThanSome = true;
                }
            }
            if (newer.isEmpty()) {
                // every field is either ours already (a redelivery) or newer than us
                return olderThanSome ? Outcome.STALE : Outcome.PROCESSED;
            }
            Bson guard = Filters.and(Filters.eq("_id", id), Filters.eq("tenantId", tenantId),
                    rev == 0 ? Filters.exists(SYNC + ".rev", false) : Filters.eq(SYNC + ".rev", rev));
            if (collection.updateOne(guard, update(newer, stamp)).getMatchedCount() == 1) {
                return Outcome.PROCESSED;
            }
        }
        throw new ConcurrentWriteException(collection.getNamespace().getCollectionName() + " " + id
                + " changed under " + MAX_ATTEMPTS + " attempts in a row");
    }

    private static boolean insert(MongoCollection<Document> collection, String id, String tenantId, Stamp stamp,
            Map<String, Object> fields) {
        Document stamps = new Document();
        fields.keySet().forEach(key -> stamps.append(key, stamp.value()));
        Document document = new Document("_id", id).append("tenantId", tenantId);
        document.putAll(fields);
        document.append(SYNC, new Document("rev", 1L).append("stamps", stamps));
        try {
            collection.insertOne(document);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static Bson update(Map<String, Object> newer, Stamp stamp) {
        var updates = new java.util.ArrayList<Bson>();
        newer.forEach((key, value) -> {
            updates.add(Updates.set(key, value));
            updates.add(Updates.set(SYNC + ".stamps." + key, stamp.value()));
        });
        updates.add(Updates.inc(SYNC + ".rev", 1L));
        return Updates.combine(updates);
    }
}
