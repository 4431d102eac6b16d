package io.crmsync.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import org.bson.Document;

/**
 * Credit balances that stay exact under any redelivery and any number of writers (CONTRACT.md: {@code balance} =
 * sum of the ledger), in O(1) per movement and without transactions.
 * <p>
 * A movement is first recorded in the ledger, keyed by event id with {@code folded: false}, so a redelivery records
 * nothing new. It is then folded into its balance by a compare-and-set on the balance's revision that adds the amount
 * and pushes the event id onto the balance's {@code folding} list. Then the ledger entry is marked folded, and last
 * the id is pulled from {@code folding}. Revision, running balance and folding list live together under {@code _sync}
 * (the readable {@code balance} and {@code entries} are copies written by the same update), so they are read as one
 * value: mongo-java-server updates a document's top-level fields one at a time in place, and a read racing that could
 * otherwise pair a new revision with an old balance. A delivery decides whether to fold by reading the balance first and the
 * ledger entry second: an entry that is not marked and not in {@code folding} had not been folded when the balance
 * was read (marking comes before pulling), and the compare-and-set only succeeds if the balance has not changed since.
 * So every entry is added exactly once, whichever deliveries race or fail between the steps.
 * <p>
 * Ledger entries without a {@code folded} field predate folding and are part of their balance already.
 */
final class CreditLedger {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CreditLedger.class);
    private static final int MAX_ROUNDS = 32;
    static final RejectReason EVENT_ID_CONFLICT = new RejectReason("event-id-conflict");
    private static final String FOLDING = FieldwiseUpsert.SYNC + ".folding";

    private final MongoCollection<Document> ledger;
    private final MongoCollection<Document> balances;
    private final ValueType amountType;

    /** One credit event's movement. */
    record Movement(String eventId, String tenantId, Instant time, Write.CreditMovement movement, Settle<Outcome> settle) {
        String balanceId() {
            return CreditLedger.balanceId(tenantId, movement.entityId());
        }
    }

    /** The key of an entity's balance: {@code {tenantId}:{entityId}}. */
    static String balanceId(String tenantId, String entityId) {
        return Keys.join(tenantId, entityId);
    }

    CreditLedger(MongoCollection<Document> ledger, MongoCollection<Document> balances, ValueType amountType) {
        this.ledger = ledger;
        this.balances = balances;
        this.amountType = amountType;
    }

    void applyAll(List<Movement> movements) {
        // read before the ledger is written: it refuses a sum the balance cannot hold, and serves the first fold
        Map<String, Document> before = IdLookup.byId(balances, movements.stream().map(Movement::balanceId).distinct().toList());
        List<Movement> pending = record(holdable(movements, before));
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            pending = settle(pending, round == 0 ? before : null);
        }
        for (Movement movement : pending) {
            movement.settle().fail(new ConcurrentWriteException("credit balance " + movement.balanceId()
                    + " kept changing over " + MAX_ROUNDS + " attempts"));
        }
    }

    /**
     * Folds the entries recorded before {@code recordedBefore} and still not in their balance: their event was
     * dead-lettered after its entry was recorded, or the app died between the steps and the event never came back.
     * Each is folded exactly as a redelivery of its event would fold it. Entries recorded before crm-sync noted the
     * time count as old.
     *
     * @return how many entries were found unfolded (at most {@code limit})
     */
    int reconcile(Instant recordedBefore, int limit) {
        List<Movement> movements = new ArrayList<>();
        for (Document entry : ledger.find(Filters.and(Filters.eq("folded", false), Filters.or(
                Filters.lt("recordedAt", recordedBefore.toString()), Filters.exists("recordedAt", false)))).limit(limit)) {
            String id = entry.getString("_id");
            Write.CreditMovement movement = new Write.CreditMovement(ledger.getNamespace().getCollectionName(),
                    balances.getNamespace().getCollectionName(), entry.getString("entityId"), decimal(entry.get("amount")),
                    amountType, Map.of());
            Instant time = entry.getString("timestamp") == null ? Instant.EPOCH : Instant.parse(entry.getString("timestamp"));
            movements.add(new Movement(id, entry.getString("tenantId"), time, movement, Settle.of(
                    outcome -> LOG.warn("Ledger entry {} of {} had been left out of balance {}: folded now", id,
                            ledger.getNamespace().getCollectionName(), balanceId(entry.getString("tenantId"),
                                    entry.getString("entityId"))),
                    failure -> LOG.warn("Ledger entry {} is still not in its balance ({}); the next round tries again",
                            id, failure.toString()))));
        }
        if (!movements.isEmpty()) {
            applyAll(movements);
        }
        return movements.size();
    }

    /** Inserts the ledger entries; returns the movements whose entry is now there (new, or from an earlier delivery). */
    private List<Movement> record(List<Movement> movements) {
        GuardedBulk<Movement> bulk = new GuardedBulk<>();
        for (Movement m : movements) {
            // mapped fields first: what identifies, fences and folds the entry is crm-sync's and always wins
            Document entry = new Document(m.movement().fields());
            entry.append("_id", m.eventId()).append("tenantId", m.tenantId()).append("entityId", m.movement().entityId())
                    .append("amount", number(m.movement().amount())).append("timestamp", m.time().toString())
                    .append("folded", false).append("recordedAt", Instant.now().toString());
            bulk.add(new InsertOneModel<>(entry), m);
        }
        GuardedBulk.Result<Movement> result = bulk.execute(ledger);
        result.failed().forEach(f -> f.context().settle().fail(f.error()));
        List<Movement> recorded = new ArrayList<>(result.written());
        if (!result.lost().isEmpty()) {
            // the id exists: a redelivery, or an event id of another tenant
            Map<String, Document> existing = IdLookup.byId(ledger, result.lost().stream().map(Movement::eventId).toList());
            for (Movement m : result.lost()) {
                Document entry = existing.get(m.eventId());
                if (entry != null && !m.tenantId().equals(entry.getString("tenantId"))) {
                    m.settle().fail(new EventRejectedException(RejectReason.TENANT_MISMATCH,
                            "credit event " + m.eventId() + " belongs to another tenant"));
                } else if (entry != null && (!m.movement().entityId().equals(entry.getString("entityId"))
                        || decimal(entry.get("amount")).compareTo(m.movement().amount()) != 0)) {
                    // a redelivery carries the same entity and amount: anything else is another event reusing the id
                    m.settle().fail(new EventRejectedException(EVENT_ID_CONFLICT, "credit event id " + m.eventId()
                            + " is recorded for entity " + entry.getString("entityId") + " with amount "
                            + decimal(entry.get("amount")).toPlainString() + ", not " + m.movement().entityId() + " with "
                            + m.movement().amount().toPlainString()));
                } else {
                    recorded.add(m);
                }
            }
        }
        return recorded;
    }

    /** One round of folding; returns the movements whose balance changed under them. */
    /**
     * The movements whose balance can hold the sum they would make, exactly, in its numeric type; the others are refused
     * before anything is written, so the ledger never holds a movement its balance cannot add. The sum counts every
     * movement of the batch, redeliveries included: erring towards a refusal only near the type's limit.
     */
    private List<Movement> holdable(List<Movement> movements, Map<String, Document> balances) {
        Map<String, BigDecimal> sums = new LinkedHashMap<>();
        movements.forEach(m -> sums.merge(m.balanceId(), m.movement().amount(), BigDecimal::add));
        List<Movement> holdable = new ArrayList<>();
        for (Movement m : movements) {
            BigDecimal total = decimal(state(balances.get(m.balanceId())).get("balance")).add(sums.get(m.balanceId()));
            try {
                amountType.convert(total, "balance " + m.balanceId());
                holdable.add(m);
            } catch (EventRejectedException e) {
                m.settle().fail(new EventRejectedException(RejectReason.INVALID_FIELD, "credit event " + m.eventId()
                        + " would take balance " + m.balanceId() + " to " + total.toPlainString() + ", which a "
                        + amountType.yamlName() + " cannot hold exactly"));
            }
        }
        return holdable;
    }

    /** @param known the balances as read before this round's ledger read, or null to read them now */
    private List<Movement> settle(List<Movement> movements, Map<String, Document> known) {
        Map<String, List<Movement>> byBalance = new LinkedHashMap<>();
        movements.forEach(m -> byBalance.computeIfAbsent(m.balanceId(), id -> new ArrayList<>()).add(m));
        // the balance before the ledger: see the class comment
        Map<String, Document> current = known != null ? known : IdLookup.byId(balances, byBalance.keySet());
        Map<String, Document> entries = IdLookup.byId(ledger, movements.stream().map(Movement::eventId).distinct().toList());

        GuardedBulk<Fold> folds = new GuardedBulk<>();
        List<Fold> nothingToAdd = new ArrayList<>();
        for (Map.Entry<String, List<Movement>> group : byBalance.entrySet()) {
            Document balance = current.get(group.getKey());
            List<?> folding = state(balance).getList("folding", Object.class, List.of());
            Fold fold = new Fold(group.getKey(), group.getValue().get(0).tenantId(), new ArrayList<>(group.getValue()));
            BigDecimal added = BigDecimal.ZERO;
            for (Movement m : group.getValue()) {
                Document entry = entries.get(m.eventId());
                if (entry == null) {
                    // recorded a moment ago and gone now (deleted by hand?): a later delivery records it again
                    m.settle().fail(new ConcurrentWriteException("ledger entry " + m.eventId() + " disappeared"));
                    fold.movements().remove(m);
                    continue;
                }
                if (!group.getKey().equals(balanceId(entry.getString("tenantId"), entry.getString("entityId")))) {
                    m.settle().fail(new EventRejectedException(RejectReason.INVALID_FIELD, "credit event id " + m.eventId()
                            + " is recorded for entity " + entry.getString("entityId") + ", not " + m.movement().entityId()));
                    fold.movements().remove(m);
                    continue;
                }
                if (!Boolean.FALSE.equals(entry.get("folded"))) {
                    continue; // folded already
                }
                fold.toMark().add(m.eventId());
                if (!folding.contains(m.eventId()) && fold.toAdd().add(m.eventId())) {
                    added = added.add(decimal(entry.get("amount")));
                }
            }
            if (fold.toAdd().isEmpty()) {
                nothingToAdd.add(fold);
            } else {
                folds.add(foldInto(balance, fold, added), fold);
            }
        }
        GuardedBulk.Result<Fold> result = folds.execute(balances);
        result.failed().forEach(f -> f.context().movements().forEach(m -> m.settle().fail(f.error())));
        List<Fold> done = new ArrayList<>(nothingToAdd);
        done.addAll(result.written());
        finish(done);
        List<Movement> lost = new ArrayList<>();
        result.lost().forEach(fold -> lost.addAll(fold.movements()));
        return lost;
    }

    private InsertOneModel<Document> insert(Fold fold, Movement first, BigDecimal added) {
        return new InsertOneModel<>(new Document("_id", fold.balanceId()).append("tenantId", fold.tenantId())
                .append("entityId", first.movement().entityId())
                .append("balance", number(added)).append("entries", (long) fold.toAdd().size())
                .append("updatedAt", Instant.now().toString())
                .append(FieldwiseUpsert.SYNC, new Document("rev", 1L).append("balance", number(added))
                        .append("entries", (long) fold.toAdd().size()).append("folding", new ArrayList<>(fold.toAdd()))));
    }

    private WriteModel<Document> foldInto(Document balance, Fold fold, BigDecimal added) {
        if (balance == null) {
            return insert(fold, fold.movements().get(0), added);
        }
        Document state = state(balance);
        long rev = ((Number) state.get("rev", 0L)).longValue();
        Object total = number(decimal(state.get("balance")).add(added));
        long entries = ((Number) state.get("entries", 0L)).longValue() + fold.toAdd().size();
        Document guard = FieldwiseUpsert.guard(fold.balanceId(), fold.tenantId(), rev);
        Document update = new Document("$set", new Document("balance", total).append("entries", entries)
                .append("updatedAt", Instant.now().toString())
                .append(FieldwiseUpsert.REV, rev + 1).append(FieldwiseUpsert.SYNC + ".balance", total)
                .append(FieldwiseUpsert.SYNC + ".entries", entries))
                .append("$push", new Document(FOLDING, new Document("$each", new ArrayList<>(fold.toAdd()))));
        return new UpdateOneModel<>(guard, update, new UpdateOptions().upsert(true));
    }

    /** Marks the folded entries in the ledger, then takes them off the balance's folding list. */
    private void finish(List<Fold> folds) {
        GuardedBulk<Fold> marks = new GuardedBulk<>();
        for (Fold fold : folds) {
            for (String eventId : fold.toMark()) {
                marks.add(new UpdateOneModel<>(new Document("_id", eventId).append("tenantId", fold.tenantId()),
                        new Document("$set", new Document("folded", true))), fold);
            }
        }
        GuardedBulk.Result<Fold> marked = marks.execute(ledger);
        Set<Fold> failed = new java.util.HashSet<>(); // identity: Fold keeps Object's equals
        marked.failed().forEach(f -> {
            failed.add(f.context());
            f.context().movements().forEach(m -> m.settle().fail(f.error()));
        });
        GuardedBulk<Fold> pulls = new GuardedBulk<>();
        for (Fold fold : folds) {
            if (!failed.contains(fold) && !fold.toMark().isEmpty()) {
                pulls.add(new UpdateOneModel<>(new Document("_id", fold.balanceId()).append("tenantId", fold.tenantId()),
                        new Document("$pull", new Document(FOLDING, new Document("$in", new ArrayList<>(fold.toMark()))))), fold);
            }
        }
        // a failed pull leaves an id on the list that nothing reads again: harmless, so the movements still succeed
        GuardedBulk.Result<Fold> pulled = pulls.execute(balances);
        pulled.failed().forEach(f -> LOG.warn("Could not take {} off the folding list of balance {}: {}", f.context().toMark(),
                f.context().balanceId(), f.error().toString()));
        folds.stream().filter(fold -> !failed.contains(fold))
                .forEach(fold -> fold.movements().forEach(m -> m.settle().complete(Outcome.PROCESSED)));
    }

    /**
     * The fold state of a balance document: {@code _sync}, or for a balance written before it existed, the top-level
     * fields (a legacy document is converted by its first fold, whose guard requires {@code _sync.rev} to be absent).
     */
    private static Document state(Document balance) {
        if (balance == null) {
            return new Document();
        }
        Document sync = balance.get(FieldwiseUpsert.SYNC, Document.class);
        return sync != null ? sync : new Document("balance", balance.get("balance")).append("entries", balance.get("entries"));
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? BigDecimal.ZERO : ValueType.decimal(value);
    }

    /** An amount or balance as this ledger stores it (Decimal128 unless the mapping says otherwise). */
    private Object number(BigDecimal value) {
        return amountType.convert(value, "credit amount");
    }

    /** What one round does to one balance: the entries it adds, and the entries it marks afterwards. */
    private static final class Fold {
        private final String balanceId;
        private final String tenantId;
        private final List<Movement> movements;
        private final Set<String> toAdd = new LinkedHashSet<>();
        private final Set<String> toMark = new LinkedHashSet<>();

        Fold(String balanceId, String tenantId, List<Movement> movements) {
            this.balanceId = balanceId;
            this.tenantId = tenantId;
            this.movements = movements;
        }

        String balanceId() {
            return balanceId;
        }

        String tenantId() {
            return tenantId;
        }

        List<Movement> movements() {
            return movements;
        }

        Set<String> toAdd() {
            return toAdd;
        }

        Set<String> toMark() {
            return toMark;
        }
    }
}
