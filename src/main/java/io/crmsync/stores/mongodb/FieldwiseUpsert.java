package io.crmsync.stores.mongodb;

import io.crmsync.core.write.ConcurrentWriteException;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Stamp;
import io.crmsync.core.write.StampedMerge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import org.bson.Document;

/**
 * Per-field last-writer-wins on event time, so a document converges to the same state whatever order its events
 * are consumed in, and a redelivered event changes nothing (CONTRACT.md invariants 2 to 4).
 * <p>
 * Each document keeps, under {@code _sync.stamps}, the stamp of the event that last wrote each field, and a
 * revision under {@code _sync.rev}. A batch reads its documents in one query, merges each document's events by
 * {@link StampedMerge} (the newest value per field; a delete ends what came before it), and writes each document
 * once, with a compare-and-set on
 * the revision. The compare-and-set is an upsert whose filter also names the tenant and the revision: when either
 * has moved, the insert it falls back to collides with the existing {@code _id} (E11000) and only that document is
 * read again. This needs neither transactions nor update pipelines, so it is correct on MongoDB and on the
 * wire-compatible servers tests and the demo use.
 */
final class FieldwiseUpsert {

    static final String SYNC = "_sync";
    static final String REV = SYNC + ".rev";
    static final String STAMPS = SYNC + ".stamps.";
    private static final Set<String> RESERVED = Set.of("_id", SYNC, "tenantId");
    private static final int MAX_ROUNDS = 16;
    private static final Document STATE = new Document("tenantId", 1).append(SYNC, 1);

    private final SyncStates states = new SyncStates();
    private final WriteAcknowledgements acknowledgements;

    FieldwiseUpsert(WriteAcknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    /**
     * One event's update of one document.
     *
     * @param setOnce fields where the earliest event's value wins instead of the newest's
     */
    record Change(String id, String tenantId, Stamp stamp, Map<String, Object> fields, Set<String> setOnce,
            boolean tombstone, Settle<Outcome> settle) {

        StampedMerge.Change merge() {
            return new StampedMerge.Change(stamp, fields, setOnce, tombstone, false);
        }
    }

    void applyAll(MongoCollection<Document> collection, List<Change> changes) {
        List<Change> pending = new ArrayList<>();
        for (Change change : changes) {
            String reserved = change.fields().keySet().stream().filter(key -> RESERVED.contains(key) || !StampedMerge.isField(key))
                    .findFirst().orElse(null);
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

    /** A document's planned write: its changes' outcomes, and its tenant and {@code _sync} once written. */
    private record Planned(String id, Map<Change, Outcome> outcomes, Document state) {
    }

    /** One read of the documents not known, one bulk write; returns the changes that lost a race and must read again. */
    private List<Change> round(MongoCollection<Document> collection, List<Change> changes, List<Change> alone) {
        String name = collection.getNamespace().getFullName();
        Map<String, List<Change>> byId = new LinkedHashMap<>();
        changes.forEach(change -> byId.computeIfAbsent(change.id(), id -> new ArrayList<>()).add(change));
        Map<String, Document> current = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        Set<String> remembered = new HashSet<>();
        for (String id : byId.keySet()) {
            Document known = states.get(name, id);
            if (known != null) {
                current.put(id, known);
                remembered.add(id);
            } else {
                unknown.add(id);
            }
        }
        // the merge needs only the tenant and the stamps, not the fields
        current.putAll(IdLookup.byId(collection, unknown, STATE));

        List<Change> retry = new ArrayList<>();
        GuardedBulk<Planned> bulk = new GuardedBulk<>(acknowledgements);
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
            if (!plan(group.getKey(), tenantId, document, mine, remembered.contains(group.getKey()), bulk)) {
                // nothing to write, judged on remembered stamps: the document may have changed by hand since, so
                // that is only settled on what it holds now
                states.forget(name, group.getKey());
                retry.addAll(mine);
            }
        }
        GuardedBulk.Result<Planned> result = bulk.execute(collection);
        result.written().forEach(planned -> {
            states.put(name, planned.id(), planned.state());
            planned.outcomes().forEach((change, outcome) -> change.settle().complete(outcome));
        });
        result.failed().forEach(f -> {
            states.forget(name, f.context().id());
            if (f.context().outcomes().size() > 1) {
                alone.addAll(f.context().outcomes().keySet());
            } else {
                f.context().outcomes().keySet().forEach(change -> change.settle().fail(f.error()));
            }
        });
        result.lost().forEach(planned -> {
            states.forget(name, planned.id());
            retry.addAll(planned.outcomes().keySet());
        });
        return retry;
    }

    /**
     * Decides each change's outcome against the stored stamps and merges the newer fields into one write.
     *
     * @param remembered the document's state is the one this instance last wrote, not read now
     * @return false, settling nothing, when remembered stamps leave nothing to write
     */
    private static boolean plan(String id, String tenantId, Document document, List<Change> changes, boolean remembered,
            GuardedBulk<Planned> bulk) {
        Document sync = document == null ? null : document.get(SYNC, Document.class);
        Map<String, String> stored = stamps(document);
        long rev = sync == null ? 0 : ((Number) sync.get("rev", 0L)).longValue();

        Map<StampedMerge.Change, Change> byMerge = new IdentityHashMap<>();
        changes.forEach(change -> byMerge.put(change.merge(), change));
        StampedMerge.Plan plan = StampedMerge.plan(stored, List.copyOf(byMerge.keySet()));
        Map<Change, Outcome> outcomes = new IdentityHashMap<>();
        plan.outcomes().forEach((merge, outcome) -> outcomes.put(byMerge.get(merge), outcome));
        if (!plan.writes()) {
            if (remembered) {
                return false;
            }
            outcomes.forEach((change, outcome) -> change.settle().complete(outcome));
            return true;
        }
        Document stamps = new Document();
        new TreeMap<>(plan.stamps()).forEach(stamps::append);
        // a new document's revision starts anywhere: one deleted by hand and made again never repeats a revision
        // another instance remembers, so that instance's guard cannot match it by chance
        long next = document == null ? ThreadLocalRandom.current().nextLong(1, 1L << 62) : rev + 1;
        Document state = new Document("tenantId", tenantId).append(SYNC, new Document("rev", next).append("stamps", stamps));
        if (document == null) {
            Document inserted = new Document("_id", id).append("tenantId", tenantId);
            inserted.putAll(plan.set());
            inserted.append(SYNC, state.get(SYNC));
            bulk.add(new InsertOneModel<>(inserted), new Planned(id, outcomes, state));
            return true;
        }
        Document set = new Document();
        Document unset = new Document();
        plan.set().forEach(set::append);
        plan.unset().forEach(field -> unset.append(field, ""));
        plan.stamps().forEach((field, stamp) -> {
            if (!stamp.equals(stored.get(field))) {
                set.append(STAMPS + field, stamp);
            }
        });
        stored.keySet().stream().filter(field -> !plan.stamps().containsKey(field)).forEach(field -> unset.append(STAMPS + field, ""));
        set.append(REV, next);
        Document update = new Document("$set", set);
        if (!unset.isEmpty()) {
            update.append("$unset", unset);
        }
        bulk.addToExisting(new UpdateOneModel<>(guard(id, tenantId, rev), update, new UpdateOptions().upsert(true)),
                new Planned(id, outcomes, state));
        return true;
    }

    /** A document's {@code _sync.stamps}, field (or key) to stamp; empty for none. */
    static Map<String, String> stamps(Document document) {
        Map<String, String> stamps = new HashMap<>();
        Document sync = document == null ? null : document.get(SYNC, Document.class);
        if (sync != null) {
            sync.get("stamps", new Document()).forEach((field, stamp) -> stamps.put(field, (String) stamp));
        }
        return stamps;
    }

    /**
     * The compare-and-set filter: this id, this tenant, the revision that was read (none yet for revision 0). A plain
     * document, not {@code $and}: servers without a query planner match an index only on the exact key set.
     */
    static Document guard(String id, String tenantId, long rev) {
        return new Document("_id", id).append("tenantId", tenantId).append(REV, rev == 0 ? new Document("$exists", false) : rev);
    }
}
