package io.crmsync.stores.mongodb;

import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Stamp;
import io.crmsync.core.write.StampedMerge;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import com.mongodb.MongoException;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.store.CulpritIsolation;
import org.bson.Document;

/**
 * Applies the {@link Write} an event was mapped to: the one entry point of the store endpoints for MongoDB.
 */
public class EventWriter {

    private final Collections collections;
    private final FieldwiseUpsert upsert;
    // one per ledger, balances and amount type that the mappings name
    private final Map<String, CreditLedger> ledgers = new java.util.concurrent.ConcurrentHashMap<>();

    /** One event's write, and where to report its outcome. */
    public record Request(CanonicalEvent event, Write write, Settle<Outcome> settle) {
    }

    // made once MongoDB answers (the start-up gate, or the first write), never in the constructor: a bean factory that
    // waits for MongoDB stops the start while it is away
    private volatile IndexSetup indexes;
    private final Executor parts;
    private final WriteAcknowledgements acknowledgements;

    /** Writes a batch's collections one after another, on the caller's thread. */
    public EventWriter(Collections collections) {
        this(collections, Runnable::run);
    }

    /**
     * Writes a batch's collections (and ledgers) at once, each but the first on {@code parts}: they share no document,
     * so order within each is all that matters, and a batch then waits for its slowest collection's round trips rather
     * than for the sum of all of them. (Two logical names a mapping points at one physical collection do share
     * documents; the revision guards keep that correct, at the cost of a retry when they meet.)
     */
    public EventWriter(Collections collections, Executor parts) {
        this.collections = collections;
        this.parts = parts;
        this.acknowledgements = collections.acknowledgements();
        this.upsert = new FieldwiseUpsert(acknowledgements);
    }

    /**
     * Sets up the indexes the writes rely on, once; throws (to be tried again) while MongoDB does not answer.
     * Called when MongoDB first answers, and before a write if that has not happened yet.
     */
    public IndexSetup ensureIndexes() {
        IndexSetup current = indexes;
        if (current == null) {
            synchronized (this) {
                if (indexes == null) {
                    indexes = IndexSetup.ensure(collections);
                }
                current = indexes;
            }
        }
        return current;
    }

    /**
     * Applies a batch: one read and one bulk write per collection for the field updates, one fold per credit balance,
     * every collection at once.
     * Every request is settled, each on its own: a rejected event fails alone. Events of one entity may come in any
     * order and in the same batch; the result is the one their event-time order gives.
     *
     * @throws com.mongodb.MongoException when MongoDB fails as a whole; requests not yet settled then fail with it
     */
    public void applyAll(List<Request> batch) {
        Map<String, List<FieldwiseUpsert.Change>> updates = new LinkedHashMap<>();
        Map<CreditLedger, List<CreditLedger.Movement>> movements = new LinkedHashMap<>();
        for (Request request : batch) {
            CanonicalEvent event = request.event();
            Tracked settle = new Tracked(request.settle());
            if (request.write() instanceof Write.FieldUpdate update) {
                updates.computeIfAbsent(update.collection(), c -> new ArrayList<>()).add(new FieldwiseUpsert.Change(
                        update.id(), event.tenantId(), Stamp.of(event, update.tombstone()), BsonValues.fields(update.fields()),
                        update.setOnce(), update.tombstone(), settle));
            } else if (request.write() instanceof Write.CreditMovement movement) {
                movements.computeIfAbsent(ledger(movement), l -> new ArrayList<>())
                        .add(new CreditLedger.Movement(movement.entryId(event), event.tenantId(), event.time(), movement, settle));
            } else {
                settle.complete(Outcome.SKIPPED);
            }
        }
        List<Runnable> writes = new ArrayList<>(updates.size() + movements.size());
        updates.forEach((collection, changes) -> writes.add(part(changes, () -> ensureIndexes().fieldwise(collection),
                FieldwiseUpsert.Change::settle, part -> upsert.applyAll(collections.get(collection), part))));
        movements.forEach((ledger, part) -> writes.add(part(part, () -> { }, CreditLedger.Movement::settle, ledger::applyAll)));
        runAll(writes);
    }

    /**
     * One collection's (or ledger's) share of a batch. If it fails, its own unsettled requests fail with its own
     * failure, not with whatever another part of the batch met first: a network error must leave them to be retried
     * even when another part failed for a reason that dead-letters.
     */
    private <T> Runnable part(List<T> items, Runnable prepare, Function<T, Settle<Outcome>> settleOf,
            Consumer<List<T>> write) {
        return () -> {
            try {
                prepare.run();
                // acknowledged or not is told by the bulk writes themselves (GuardedBulk): a part whose events were
                // all stale or redelivered sends none, and its reads succeed even while no majority acknowledges
                isolating(items, settleOf, write);
            } catch (RuntimeException | Error e) {
                if (MongoFailures.isUnacknowledged(e)) {
                    acknowledgements.unacknowledged(e);
                }
                for (T item : items) {
                    if (!((Tracked) settleOf.apply(item)).settled) {
                        settleOf.apply(item).fail(e);
                    }
                }
                throw e;
            }
        };
    }

    /**
     * Runs every part, the first on this thread, and returns only once all have ended, so that nothing of the batch is
     * still being written when it is reported; then rethrows a failure, an {@link Error} before any other.
     */
    private void runAll(List<Runnable> writes) {
        List<CompletableFuture<Void>> all = new ArrayList<>(writes.size());
        for (Runnable write : writes.subList(Math.min(1, writes.size()), writes.size())) {
            try {
                all.add(CompletableFuture.runAsync(write, parts));
            } catch (RuntimeException | Error e) {
                // shutting down, or no thread to be had: write it here rather than fail what MongoDB could still take
                all.add(CompletableFuture.runAsync(write, Runnable::run));
            }
        }
        if (!writes.isEmpty()) {
            all.add(CompletableFuture.runAsync(writes.get(0), Runnable::run));
        }
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> write : all) {
            try {
                write.join();
            } catch (CompletionException e) {
                failures.add(e.getCause() == null ? e : e.getCause());
            }
        }
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.stream().filter(Error.class::isInstance).findFirst().orElse(failures.get(0));
        failures.stream().filter(other -> other != first).forEach(first::addSuppressed);
        if (first instanceof Error e) {
            throw e;
        }
        throw first instanceof RuntimeException e ? e : new IllegalStateException(first);
    }

    private CreditLedger ledger(Write.CreditMovement movement) {
        return ledgers.computeIfAbsent(movement.ledger() + " " + movement.balances() + " " + movement.amountType(), key -> {
            ensureIndexes().ledger(movement.ledger(), movement.balances());
            return new CreditLedger(collections.get(movement.ledger()), collections.get(movement.balances()),
                    movement.amountType(), acknowledgements);
        });
    }

    /**
     * Writes {@code items} together, or, if MongoDB refuses that as a whole for what one of them holds (a document
     * nested too deep or too large, one the driver cannot encode), isolates the culprit ({@link CulpritIsolation}),
     * which fails alone as {@code write-rejected}. An infrastructure failure (unreachable, no primary, write concern)
     * is thrown, to fail them all, to be retried.
     */
    static <T> void isolating(List<T> items, Function<T, Settle<Outcome>> settleOf, Consumer<List<T>> write) {
        CulpritIsolation.write(items, write::accept, item -> ((Tracked) settleOf.apply(item)).settled,
                (item, failure) -> settleOf.apply(item).fail(failure), MONGO_FAILURES);
    }

    private static final CulpritIsolation.Failures MONGO_FAILURES = new CulpritIsolation.Failures() {
        @Override
        public boolean isInfrastructure(Exception failure) {
            return failure instanceof MongoException && !MongoFailures.isRefusal(failure);
        }

        @Override
        public Throwable culprit(Exception failure) {
            return MongoFailures.isRefusal(failure) ? new EventRejectedException(GuardedBulk.WRITE_REJECTED,
                    "MongoDB refused the write: " + MongoFailures.describe(failure), failure) : failure;
        }
    };

    /** Remembers whether an item was settled, so a retry item by item skips those a failed batch already settled. */
    private static final class Tracked implements Settle<Outcome> {
        private final Settle<Outcome> target;
        private volatile boolean settled;

        Tracked(Settle<Outcome> target) {
            this.target = target;
        }

        @Override
        public void complete(Outcome value) {
            settled = true;
            target.complete(value);
        }

        @Override
        public void fail(Throwable failure) {
            settled = true;
            target.fail(failure);
        }
    }

    /**
     * Folds the entries of every ledger this writer has written that were recorded over {@code age} ago and are still
     * not in their balance (see {@link CreditLedger#reconcile}). Called by the ledger-reconcile route's timer.
     *
     * @return how many such entries were found
     */
    public int reconcileLedgers(java.time.Duration age) {
        java.time.Instant before = java.time.Instant.now().minus(age);
        int found = 0;
        for (CreditLedger ledger : ledgers.values()) {
            found += ledger.reconcile(before, 1000);
        }
        return found;
    }

    /** One event on its own, on the caller's thread. */
    public Outcome apply(CanonicalEvent event, Write write) {
        Outcome[] outcome = new Outcome[1];
        Throwable[] failure = new Throwable[1];
        applyAll(List.of(new Request(event, write, Settle.of(value -> outcome[0] = value, e -> failure[0] = e))));
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return outcome[0];
    }

    /**
     * Checks, without writing, whether the store reflects the event: its document exists and none of the fields it
     * carries holds a value older than the event. A field a newer event has since set counts as up to date. A credit
     * movement's balance is compared with the sum of its ledger's accepted entries.
     *
     * @throws io.crmsync.core.event.EventRejectedException for a credit movement whose fold was refused: as every delivery
     *                                                 of its event was
     */
    public Verdict verify(CanonicalEvent event, Write write) {
        if (write instanceof Write.FieldUpdate update) {
            String location = collections.name(update.collection()) + "/" + update.id();
            Document document = collections.get(update.collection())
                    .find(new Document("_id", update.id()).append("tenantId", event.tenantId())).first();
            if (document == null) {
                return new Verdict(Verdict.State.MISSING, location, List.of());
            }
            Map<String, String> stamps = FieldwiseUpsert.stamps(document);
            Stamp stamp = Stamp.of(event, update.tombstone());
            List<String> older = StampedMerge.verifiable(stamps, stamp, update.fields().keySet(), update.tombstone()).stream()
                    .filter(field -> StampedMerge.order(stamps.get(field), stamp, update.setOnce().contains(field)) > 0)
                    .toList();
            return new Verdict(older.isEmpty() ? Verdict.State.UP_TO_DATE : Verdict.State.OLDER, location, older);
        }
        if (write instanceof Write.CreditMovement movement) {
            String location = collections.name(movement.ledger()) + "/" + movement.entryId(event);
            Document entry = collections.get(movement.ledger())
                    .find(new Document("_id", movement.entryId(event)).append("tenantId", event.tenantId())).first();
            if (entry == null) {
                return new Verdict(Verdict.State.MISSING, location, List.of());
            }
            String balanceId = CreditLedger.balanceId(event.tenantId(), movement.entityId());
            Document balance = collections.get(movement.balances()).find(new Document("_id", balanceId)).first();
            if (CreditLedger.refused(entry, balance)) {
                // never in the balance, by design: the event is refused as each of its deliveries was
                throw CreditLedger.refusal(movement.entryId(event), ValueType.decimal(entry.get("amount")), balanceId,
                        movement.amountType());
            }
            // the accepted entries: a refused one is in the ledger, never in the balance
            BigDecimal sum = BigDecimal.ZERO;
            for (Document row : collections.get(movement.ledger())
                    .find(new Document("tenantId", event.tenantId()).append("entityId", movement.entityId()))) {
                if (!CreditLedger.refused(row, balance)) {
                    sum = sum.add(ValueType.decimal(row.get("amount")));
                }
            }
            boolean folded = !Boolean.FALSE.equals(entry.get("folded"));
            boolean agrees = balance != null && ValueType.decimal(balance.get("balance")).compareTo(sum) == 0;
            return folded && agrees ? new Verdict(Verdict.State.UP_TO_DATE, location, List.of())
                    : new Verdict(Verdict.State.DISAGREES, collections.name(movement.balances()) + "/" + balanceId,
                            List.of(folded ? "balance " + (balance == null ? "missing" : ValueType.decimal(balance.get("balance"))
                                    .toPlainString()) + ", ledger sum " + sum.toPlainString()
                                    : "entry " + movement.entryId(event) + " not in the balance"));
        }
        return new Verdict(Verdict.State.NOT_APPLICABLE, "", List.of());
    }
}
