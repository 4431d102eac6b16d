package io.crmsync.stores.mongodb;

import io.crmsync.core.write.GroupCommit;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Write;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.crmsync.core.event.CanonicalEvent;

/**
 * Queues each event's {@link Write} for the next batch of its lane, so whatever queued up while a lane's batch was
 * written is written as its next. The store endpoint calls it without holding a thread: a stream's next entries are
 * read and routed meanwhile.
 * <p>
 * Lanes keep several batches in flight, so a batch's round trips to MongoDB overlap with other batches' instead of
 * adding up when MongoDB is a network hop away. A document, or a credit balance, always goes to the same lane, so
 * its writes stay in order and two lanes never race on one compare-and-set.
 */
public class WriteStep implements AutoCloseable {

    /** One exchange's event and write, queued for the next batch. */
    record Pending(CanonicalEvent event, Write write) {
    }

    private final EventWriter writer;
    private final List<GroupCommit<Pending, Outcome>> lanes = new ArrayList<>();

    /** @param maxBatch most events written at once, across the lanes: the memory a backlog takes stays the same */
    public WriteStep(EventWriter writer, int maxBatch, int lanes, Executor completions) {
        this.writer = writer;
        int perLane = Math.max(1, maxBatch / lanes);
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new GroupCommit<>("crm-sync-writes-" + i, perLane, batch -> writer.applyAll(batch.stream()
                    .map(job -> new EventWriter.Request(job.item().event(), job.item().write(), job)).toList()), completions));
        }
    }

    public EventWriter writer() {
        return writer;
    }

    /** Completes, on a completion thread, with the outcome once the write is durable, or with its failure. */
    public CompletionStage<Outcome> submit(CanonicalEvent event, Write write) {
        return lanes.get(Math.floorMod(key(event, write).hashCode(), lanes.size())).submit(new Pending(event, write));
    }

    /** What a write must stay in order with: its document, or its balance. */
    private static String key(CanonicalEvent event, Write write) {
        if (write instanceof Write.FieldUpdate update) {
            return update.collection() + "/" + update.id();
        }
        if (write instanceof Write.CreditMovement movement) {
            return movement.balances() + "/" + CreditLedger.balanceId(event.tenantId(), movement.entityId());
        }
        return "";
    }

    @Override
    public void close() {
        lanes.forEach(GroupCommit::close);
    }
}
