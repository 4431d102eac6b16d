package io.crmsync.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import org.bson.Document;

/**
 * Per-field last-writer-wins on event time, so a document converges to the same state whatever order its events
 * are consumed in, and a redelivered event changes nothing (CONTRACT.md invariants 2 to 4).
 * <p>
 * Each document keeps, under {@code _sync.stamps}, the stamp of the event that last wrote each field, and a
 * revision under {@code _sync.rev}. A batch reads its documents in one query, keeps for each field the newest value
 * among the events that are newer than the stored one, and writes each document once, with a compare-and-set on
 * the revision. The compare-and-set is an upsert whose filter also names the tenant and the revision: when either
 * has moved, the insert it falls back to collides with the existing {@code _id} (E11000) and only that document is
 * read again. This needs neither transactions nor update pipelines, so it is correct on MongoDB and on the
 * wire-compatible servers tests and the demo use.
 */
final class FieldwiseUpsert {

    static final String SYNC = "_sync";
    static final String REV = SYNC + ".rev";
    private static final Set<String> RESERVED = Set.of("_id", SYNC, "tenantId");
    private static final int MAX_ROUNDS = 16;

    /**
     * One event's update of one document.
     *
     * @param setOnce fields where the earliest event's value wins instead of the newest's
     */
    record Change(String id, String tenantId, Stamp stamp, Map<String, Object> fields, Set<String> setOnce,
            Settle<Outcome> settle) {

        /** Greater than 0 when this change's value of the field should replace the one written with {@code written}. */
        int precedence(String field, Stamp written) {
            if (written == null) {
                return 1;
            }
            return setOnce.contains(field) ? written.compareTo(stamp) : stamp.compareTo(written);
        }
    }

    void applyAll(MongoCollection<Document> collection, List<Change> changes) {
        List<Change> pending = new ArrayList<>();
        for (Change change : changes) {
            String reserved = change.fields().keySet().stream().filter(RESERVED::contains).findFirst().orElse(null);
            if (reserved != null) {
                change.settle().fail(new EventRejectedException(RejectReason.UNSAFE_KEY, "field '" + reserved + "' is reserved by crm-sync"));
            } else {
                pending.add(change);
            }
        }
        List<Change> alone = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            pending = round(collection, pending, alone);
        }
        // a merged write the server refused: each of its events alone, so only the one at fault fails
        alone.forEach(change -> applyAll(collection, List.of(change)));
        for (Change change : pending) {
            change.settle().fail(new ConcurrentWriteException(collection.getNamespace().getCollectionName() + " "
                    + change.id() + " changed under " + MAX_ROUNDS + " attempts in a row"));
        }
    }

    /** One read, one bulk write; returns the changes that lost a race and must read again. */
    private List<Change> round(MongoCollection<Document> collection, List<Change> changes, List<Change> alone) {
        Map<String, List<Change>> byId = new LinkedHashMap<>();
        changes.forEach(change -> byId.computeIfAbsent(change.id(), id -> new ArrayList<>()).add(change));
        Map<String, Document> current = IdLookup.byId(collection, byId.keySet());

        List<Change> retry = new ArrayList<>();
        GuardedBulk<Map<Change, Outcome>> bulk = new GuardedBulk<>();
        for (Map.Entry<String, List<Change>> group : byId.entrySet()) {
            Document document = current.get(group.getKey());
            String tenantId = document != null ? document.getString("tenantId") : group.getValue().get(0).tenantId();
            List<Change> mine = new ArrayList<>();
            for (Change change : group.getValue()) {
                if (change.tenantId().equals(tenantId)) {
                    mine.add(change);
                } else if (document != null) {
                    change.settle().fail(new EventRejectedException(RejectReason.TENANT_MISMATCH,
                            collection.getNamespace().getCollectionName() + " " + change.id() + " belongs to another tenant"));
                } else {
                    retry.add(change); // two tenants race for a new id: the loser finds the winner's document next round
                }
            }
            plan(group.getKey(), tenantId, document, mine, bulk);
        }
        GuardedBulk.Result<Map<Change, Outcome>> result = bulk.execute(collection);
        result.written().forEach(outcomes -> outcomes.forEach((change, outcome) -> change.settle().complete(outcome)));
        result.failed().forEach(f -> {
            if (f.context().size() > 1) {
                alone.addAll(f.context().keySet());
            } else {
                f.context().keySet().forEach(change -> change.settle().fail(f.error()));
            }
        });
        result.lost().forEach(outcomes -> retry.addAll(outcomes.keySet()));
        return retry;
    }

    /** Decides each change's outcome against the stored stamps and merges the newer fields into one write. */
    private static void plan(String id, String tenantId, Document document, List<Change> changes,
            GuardedBulk<Map<Change, Outcome>> bulk) {
        Document sync = document == null ? null : document.get(SYNC, Document.class);
        Document stamps = sync == null ? new Document() : sync.get("stamps", new Document());
        long rev = sync == null ? 0 : ((Number) sync.get("rev", 0L)).longValue();

        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Stamp> mergedStamps = new HashMap<>();
        // by identity: a Change's own hash would hash every field value
        Map<Change, Outcome> outcomes = new IdentityHashMap<>();
        for (Change change : changes) {
            boolean newerThanSome = false;
            boolean olderThanSome = false;
            for (Map.Entry<String, Object> field : change.fields().entrySet()) {
                String written = stamps.getString(field.getKey());
                int order = change.precedence(field.getKey(), written == null ? null : new Stamp(written));
                if (order > 0) {
                    newerThanSome = true;
                    Stamp best = mergedStamps.get(field.getKey());
                    if (change.precedence(field.getKey(), best) > 0) {
                        merged.put(field.getKey(), field.getValue());
                        mergedStamps.put(field.getKey(), change.stamp());
                    }
                } else if (order < 0) {
                    olderThanSome = true;
                }
            }
            // every field either ours already (a redelivery) or newer than us: stale only if something was newer
            outcomes.put(change, !newerThanSome && olderThanSome ? Outcome.STALE : Outcome.PROCESSED);
        }
        if (merged.isEmpty()) {
            outcomes.forEach((change, outcome) -> change.settle().complete(outcome));
            return;
        }
        if (document == null) {
            Document inserted = new Document("_id", id).append("tenantId", tenantId);
            inserted.putAll(merged);
            Document newStamps = new Document();
            mergedStamps.forEach((field, stamp) -> newStamps.append(field, stamp.value()));
            inserted.append(SYNC, new Document("rev", 1L).append("stamps", newStamps));
            bulk.add(new InsertOneModel<>(inserted), outcomes);
            return;
        }
        Document guard = guard(id, tenantId, rev);
        Document set = new Document();
        merged.forEach((field, value) -> {
            set.append(field, value);
            set.append(SYNC + ".stamps." + field, mergedStamps.get(field).value());
        });
        set.append(REV, rev + 1);
        bulk.add(new UpdateOneModel<>(guard, new Document("$set", set), new UpdateOptions().upsert(true)), outcomes);
    }


    /**
     * The compare-and-set filter: this id, this tenant, the revision that was read (none yet for revision 0). A plain
     * document, not {@code $and}: servers without a query planner match an index only on the exact key set.
     */
    static Document guard(String id, String tenantId, long rev) {
        return new Document("_id", id).append("tenantId", tenantId).append(REV, rev == 0 ? new Document("$exists", false) : rev);
    }
}
