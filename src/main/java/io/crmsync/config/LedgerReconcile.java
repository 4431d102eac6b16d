package io.crmsync.config;

import java.time.Duration;

import io.crmsync.stores.mongodb.EventWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger-reconcile route's step: folds credit ledger entries that were recorded over {@code reconcileAfter} ago
 * and are still not in their balance, and counts them in {@code crm_sync_ledger_reconciled_total}, because each one
 * means an event failed between its two steps.
 */
public class LedgerReconcile {

    private final EventWriter writer;
    private final Duration after;
    private final Counter reconciled;

    LedgerReconcile(EventWriter writer, Duration after, MeterRegistry meters) {
        this.writer = writer;
        this.after = after;
        this.reconciled = Counter.builder("crm.sync.ledger.reconciled")
                .description("Credit ledger entries found out of their balance and folded by the reconcile route")
                .register(meters);
    }

    public int run() {
        int found = writer.reconcileLedgers(after);
        reconciled.increment(found);
        return found;
    }
}
