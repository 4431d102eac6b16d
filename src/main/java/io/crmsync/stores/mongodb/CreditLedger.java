package io.crmsync.stores.mongodb;

import io.crmsync.core.write.ConcurrentWriteException;
import io.crmsync.core.write.Keys;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
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
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Credit balances that stay exact under any redelivery and any number of writers (CONTRACT.md: {@code balance} =
 * sum of the ledger's accepted entries), in O(1) per movement and without transactions.
 * <p>
 * A movement is first recorded in the ledger, keyed by event id with {@code folded: false}, so a redelivery records
 * nothing new. Then a <em>decision</em> is made for it, by a compare-and-set on the balance's revision: either it is
 * folded (its amount added, its id pushed onto the balance's {@code folding} list) or, when the running sum would no
 * longer fit the amount type, it is refused (nothing added, its id pushed onto {@code refusing}). One compare-and-set
 * carries every decision of a round for that balance, made movement by movement in batch order on the running sum, so
 * a movement that would overflow is refused alone and the others fold; a round of refusals only still bumps the
 * revision. Then the ledger entry is marked ({@code folded: true}, or {@code refused: true}), and last the id is pulled
 * from its list. Revision, running balance and both lists live together under {@code _sync} (the readable
 * {@code balance} and {@code entries} are copies written by the same update), so they are read as one value:
 * mongo-java-server updates a document's top-level fields one at a time in place, and a read racing that could
 * otherwise pair a new revision with an old balance.
 * <p>
 * Why each entry is decided exactly once, and the same way by every reader: a delivery reads the balance first and the
 * ledger entry second. An entry that is marked was decided, and its mark says how. An entry that is unmarked but on
 * {@code folding} or {@code refusing} was decided, and the list says how (the reader finishes the mark and the pull).
 * An entry that is unmarked and on neither list had not been decided when the balance was read: marking comes before
 * pulling, so a decision pulled off its list before that read would show as a mark in the entry read after it. Such a
 * reader decides, and its compare-and-set succeeds only if no decision of any reader (fold or refusal) has changed the
 * balance since: a loser reads both again. Refusals go through the compare-and-set too, for that reason: two readers of
 * different revisions may order the same movements differently, and one's refusal must not stand beside the other's
 * fold. A crash between any two steps leaves one of these states: recorded and undecided (the next delivery, or the
 * reconciler, decides), decided and unmarked (the next reader marks), marked and still listed (the next reader pulls, or
 * the id stays listed, harmless, as the mark answers first). A mark never changes: a refused entry stays refused, and
 * every redelivery of its event is dead-lettered with the same reason; the reconciler skips it.
 * <p>
 * So no refused entry is ever in a balance, and the next event's read, the reconciler and {@code verify} count an
 * entry as refused when it is marked so or listed in {@code refusing}. Ledger entries without a {@code folded} field
 * predate folding and are part of their balance already.
 */
final class CreditLedger {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CreditLedger.class);
    private static final int MAX_ROUNDS = 32;
    static final RejectReason EVENT_ID_CONFLICT = new RejectReason("event-id-conflict");
    private static final String FOLDING = FieldwiseUpsert.SYNC + ".folding";
    private static final String REFUSING = FieldwiseUpsert.SYNC + ".refusing";
    /** The ledger entry's mark of a movement whose fold was refused: never part of its balance. */
    static final String REFUSED = "refused";

    private final MongoCollection<Document> ledger;
    private final MongoCollection<Document> balances;
    private final ValueType amountType;
    private final WriteAcknowledgements acknowledgements;

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

    CreditLedger(MongoCollection<Document> ledger, MongoCollection<Document> balances, ValueType amountType,
            WriteAcknowledgements acknowledgements) {
        this.ledger = ledger;
        this.balances = balances;
        this.amountType = amountType;
        this.acknowledgements = acknowledgements;
    }

    void applyAll(List<Movement> movements) {
        // read before the ledger is written, so it serves the first round's read of the balance (see the class comment)
        Map<String, Document> before = IdLookup.byId(balances, movements.stream().map(Movement::balanceId).distinct().toList());
        List<Movement> pending = record(movements);
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            pending = settle(pending, round == 0 ? before : null);
        }
        for (Movement movement : pending) {
            movement.settle().fail(new ConcurrentWriteException("credit balance " + movement.balanceId()
                    + " kept changing over " + MAX_ROUNDS + " attempts"));
        }
    }

    /**
     * Decides the entries recorded before {@code recordedBefore} and still neither folded nor refused: their event was
     * dead-lettered after its entry was recorded, or the app died between the steps and the event never came back.
     * Each is decided exactly as a redelivery of its event would be. Entries whose {@code recordedAt} is not a date
     * (text, from before it was one, or none at all) count as old.
     *
     * @return how many entries were found undecided (at most {@code limit})
     */
    int reconcile(Instant recordedBefore, int limit) {
        List<Movement> movements = new ArrayList<>();
        for (Document entry : ledger.find(undecided(recordedBefore)).limit(limit)) {
            String id = entry.getString("_id");
            String balanceId = balanceId(entry.getString("tenantId"), entry.getString("entityId"));
            Write.CreditMovement movement = new Write.CreditMovement(ledger.getNamespace().getCollectionName(),
                    balances.getNamespace().getCollectionName(), entry.getString("entityId"), decimal(entry.get("amount")),
                    amountType, Map.of());
            Instant time = entry.getString("timestamp") == null ? Instant.EPOCH : Instant.parse(entry.getString("timestamp"));
            movements.add(new Movement(id, entry.getString("tenantId"), time, movement, Settle.of(
                    outcome -> LOG.warn("Ledger entry {} of {} had been left out of balance {}: folded now", id,
                            ledger.getNamespace().getCollectionName(), balanceId),
                    failure -> {
                        if (failure instanceof EventRejectedException refused) {
                            LOG.warn("Ledger entry {} of {} is refused and stays out of balance {}: {}", id,
                                    ledger.getNamespace().getCollectionName(), balanceId, refused.getMessage());
                        } else {
                            LOG.warn("Ledger entry {} is still not in its balance ({}); the next round tries again",
                                    id, failure.toString());
                        }
                    })));
        }
        if (!movements.isEmpty()) {
            applyAll(movements);
        }
        return movements.size();
    }

    /** Entries neither folded nor refused, recorded before the given time (a date), or at a time that is not a date. */
    static Bson undecided(Instant recordedBefore) {
        return Filters.and(Filters.eq("folded", false), Filters.ne(REFUSED, true), Filters.or(
                Filters.lt("recordedAt", Date.from(recordedBefore)), Filters.type("recordedAt", BsonType.STRING),
                Filters.exists("recordedAt", false)));
    }

    /** Inserts the ledger entries; returns the movements whose entry is now there (new, or from an earlier delivery). */
    private List<Movement> record(List<Movement> movements) {
        GuardedBulk<Movement> bulk = new GuardedBulk<>(acknowledgements);
        for (Movement m : movements) {
            // mapped fields first: what identifies, fences and folds the entry is crm-sync's and always wins
            Document entry = new Document(BsonValues.fields(m.movement().fields()));
            entry.append("_id", m.eventId()).append("tenantId", m.tenantId()).append("entityId", m.movement().entityId())
                    .append("amount", number(m.movement().amount())).append("timestamp", m.time().toString())
                    .append("folded", false).append("recordedAt", new Date());
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

    /**
     * One round: decides what is undecided, finishes what others decided; returns the movements whose balance changed
     * under them.
     *
     * @param known the balances as read before this round's ledger read, or null to read them now
     */
    private List<Movement> settle(List<Movement> movements, Map<String, Document> known) {
        Map<String, List<Movement>> byBalance = new LinkedHashMap<>();
        movements.forEach(m -> byBalance.computeIfAbsent(m.balanceId(), id -> new ArrayList<>()).add(m));
        // the balance before the ledger: see the class comment
        Map<String, Document> current = known != null ? known : IdLookup.byId(balances, byBalance.keySet());
        Map<String, Document> entries = IdLookup.byId(ledger, movements.stream().map(Movement::eventId).distinct().toList());

        GuardedBulk<Fold> decisions = new GuardedBulk<>(acknowledgements);
        List<Fold> decided = new ArrayList<>();
        for (Map.Entry<String, List<Movement>> group : byBalance.entrySet()) {
            Document balance = current.get(group.getKey());
            Document state = state(balance);
            List<?> folding = state.getList("folding", Object.class, List.of());
            List<?> refusing = state.getList("refusing", Object.class, List.of());
            Fold fold = new Fold(group.getKey(), group.getValue().get(0).tenantId(), new ArrayList<>(group.getValue()));
            BigDecimal running = decimal(state.get("balance"));
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
                String id = m.eventId();
                fold.amounts().putIfAbsent(id, decimal(entry.get("amount")));
                if (Boolean.TRUE.equals(entry.get(REFUSED))) {
                    fold.refused().add(id); // refused for good
                } else if (!Boolean.FALSE.equals(entry.get("folded"))) {
                    continue; // folded already
                } else if (folding.contains(id)) {
                    fold.toMarkFolded().add(id); // folded by another delivery, which has not marked it yet
                } else if (refusing.contains(id)) {
                    fold.toMarkRefused().add(id);
                    fold.refused().add(id);
                } else if (!fold.toAdd().contains(id) && !fold.toRefuse().contains(id)) {
                    BigDecimal sum = running.add(fold.amounts().get(id));
                    if (holds(sum)) {
                        running = sum;
                        fold.toAdd().add(id);
                        fold.toMarkFolded().add(id);
                    } else {
                        fold.toRefuse().add(id);
                        fold.toMarkRefused().add(id);
                        fold.refused().add(id);
                    }
                }
            }
            if (fold.toAdd().isEmpty() && fold.toRefuse().isEmpty()) {
                decided.add(fold);
            } else {
                decisions.add(decide(balance, fold, running), fold);
            }
        }
        GuardedBulk.Result<Fold> result = decisions.execute(balances);
        result.failed().forEach(f -> f.context().movements().forEach(m -> m.settle().fail(f.error())));
        decided.addAll(result.written());
        finish(decided);
        List<Movement> lost = new ArrayList<>();
        result.lost().forEach(fold -> lost.addAll(fold.movements()));
        return lost;
    }

    private boolean holds(BigDecimal sum) {
        try {
            return !(amountType.convert(sum, "balance") instanceof Double d && d.isInfinite());
        } catch (EventRejectedException e) {
            return false;
        }
    }

    /** The same words for a refusal at every delivery of the event, whichever reader made or found it. */
    private EventRejectedException refusal(Fold fold, String eventId) {
        return refusal(eventId, fold.amounts().get(eventId), fold.balanceId(), amountType);
    }

    static EventRejectedException refusal(String eventId, BigDecimal amount, String balanceId, ValueType amountType) {
        return new EventRejectedException(RejectReason.INVALID_FIELD, "credit event " + eventId + " (amount "
                + amount.toPlainString() + ") would take balance " + balanceId + " beyond what a " + amountType.yamlName()
                + " holds exactly: refused, and left out of the balance");
    }

    /** The compare-and-set of one round's decisions on one balance. */
    private WriteModel<Document> decide(Document balance, Fold fold, BigDecimal total) {
        if (balance == null) {
            return new InsertOneModel<>(new Document("_id", fold.balanceId()).append("tenantId", fold.tenantId())
                    .append("entityId", fold.movements().get(0).movement().entityId())
                    .append("balance", number(total)).append("entries", (long) fold.toAdd().size())
                    .append("updatedAt", Instant.now().toString())
                    .append(FieldwiseUpsert.SYNC, new Document("rev", 1L).append("balance", number(total))
                            .append("entries", (long) fold.toAdd().size()).append("folding", new ArrayList<>(fold.toAdd()))
                            .append("refusing", new ArrayList<>(fold.toRefuse()))));
        }
        Document state = state(balance);
        long rev = ((Number) state.get("rev", 0L)).longValue();
        Object sum = number(total);
        long entries = ((Number) state.get("entries", 0L)).longValue() + fold.toAdd().size();
        Document guard = FieldwiseUpsert.guard(fold.balanceId(), fold.tenantId(), rev);
        Document push = new Document();
        if (!fold.toAdd().isEmpty()) {
            push.append(FOLDING, new Document("$each", new ArrayList<>(fold.toAdd())));
        }
        if (!fold.toRefuse().isEmpty()) {
            push.append(REFUSING, new Document("$each", new ArrayList<>(fold.toRefuse())));
        }
        Document update = new Document("$set", new Document("balance", sum).append("entries", entries)
                .append("updatedAt", Instant.now().toString())
                .append(FieldwiseUpsert.REV, rev + 1).append(FieldwiseUpsert.SYNC + ".balance", sum)
                .append(FieldwiseUpsert.SYNC + ".entries", entries))
                .append("$push", push);
        return new UpdateOneModel<>(guard, update, new UpdateOptions().upsert(true));
    }

    /** Marks the decided entries in the ledger, then takes them off the balance's lists; settles every movement. */
    private void finish(List<Fold> folds) {
        GuardedBulk<Fold> marks = new GuardedBulk<>(acknowledgements);
        for (Fold fold : folds) {
            for (String eventId : fold.toMarkFolded()) {
                marks.add(new UpdateOneModel<>(new Document("_id", eventId).append("tenantId", fold.tenantId()),
                        new Document("$set", new Document("folded", true))), fold);
            }
            for (String eventId : fold.toMarkRefused()) {
                marks.add(new UpdateOneModel<>(new Document("_id", eventId).append("tenantId", fold.tenantId()),
                        new Document("$set", new Document(REFUSED, true))), fold);
            }
        }
        GuardedBulk.Result<Fold> marked = marks.execute(ledger);
        Set<Fold> failed = new java.util.HashSet<>(); // identity: Fold keeps Object's equals
        marked.failed().forEach(f -> {
            if (failed.add(f.context())) {
                f.context().movements().forEach(m -> m.settle().fail(f.error()));
            }
        });
        GuardedBulk<Fold> pulls = new GuardedBulk<>(acknowledgements);
        for (Fold fold : folds) {
            if (!failed.contains(fold) && !(fold.toMarkFolded().isEmpty() && fold.toMarkRefused().isEmpty())) {
                Document pull = new Document();
                if (!fold.toMarkFolded().isEmpty()) {
                    pull.append(FOLDING, new Document("$in", new ArrayList<>(fold.toMarkFolded())));
                }
                if (!fold.toMarkRefused().isEmpty()) {
                    pull.append(REFUSING, new Document("$in", new ArrayList<>(fold.toMarkRefused())));
                }
                pulls.add(new UpdateOneModel<>(new Document("_id", fold.balanceId()).append("tenantId", fold.tenantId()),
                        new Document("$pull", pull)), fold);
            }
        }
        // a failed pull leaves an id on a list whose entry's mark answers first: harmless, so the movements still settle
        GuardedBulk.Result<Fold> pulled = pulls.execute(balances);
        pulled.failed().forEach(f -> LOG.warn("Could not take {} {} off the lists of balance {}: {}", f.context().toMarkFolded(),
                f.context().toMarkRefused(), f.context().balanceId(), f.error().toString()));
        for (Fold fold : folds) {
            if (!failed.contains(fold)) {
                for (Movement m : fold.movements()) {
                    if (fold.refused().contains(m.eventId())) {
                        m.settle().fail(refusal(fold, m.eventId()));
                    } else {
                        m.settle().complete(Outcome.PROCESSED);
                    }
                }
            }
        }
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

    /**
     * Whether a ledger entry is out of its balance for good: marked refused, or listed as refusing by its balance (a
     * refusal whose mark has not been written yet).
     */
    static boolean refused(Document entry, Document balance) {
        return Boolean.TRUE.equals(entry.get(REFUSED))
                || state(balance).getList("refusing", Object.class, List.of()).contains(entry.get("_id"));
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? BigDecimal.ZERO : ValueType.decimal(value);
    }

    /** An amount or balance as this ledger stores it (Decimal128 unless the mapping says otherwise). */
    private Object number(BigDecimal value) {
        return BsonValues.value(amountType.convert(value, "credit amount"));
    }

    /** What one round does to one balance: what it decides, what it marks afterwards, and what it refuses. */
    private static final class Fold {
        private final String balanceId;
        private final String tenantId;
        private final List<Movement> movements;
        private final Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        private final Set<String> toAdd = new LinkedHashSet<>();
        private final Set<String> toRefuse = new LinkedHashSet<>();
        private final Set<String> toMarkFolded = new LinkedHashSet<>();
        private final Set<String> toMarkRefused = new LinkedHashSet<>();
        private final Set<String> refused = new LinkedHashSet<>();

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

        /** Each entry's amount as recorded. */
        Map<String, BigDecimal> amounts() {
            return amounts;
        }

        /** Entries this round folds. */
        Set<String> toAdd() {
            return toAdd;
        }

        /** Entries this round refuses. */
        Set<String> toRefuse() {
            return toRefuse;
        }

        Set<String> toMarkFolded() {
            return toMarkFolded;
        }

        Set<String> toMarkRefused() {
            return toMarkRefused;
        }

        /** Entries refused, by this round or before it: their movements fail with the refusal. */
        Set<String> refused() {
            return refused;
        }
    }
}
