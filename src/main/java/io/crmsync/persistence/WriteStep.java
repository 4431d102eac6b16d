package io.crmsync.persistence;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.crmsync.event.CanonicalEvent;

/**
 * Queues each event's {@link Write} for the next batch, so whatever queued up while one batch was written is written
 * as the next. The store endpoint calls it without holding a thread: a stream's next entries are read and routed
 * meanwhile.
 */
public class WriteStep implements AutoCloseable {

    /** One exchange's event and write, queued for the next batch. */
    record Pending(CanonicalEvent event, Write write) {
    }

    private final EventWriter writer;
    private final GroupCommit<Pending, Outcome> commits;

    public WriteStep(EventWriter writer, int maxBatch, Executor completions) {
        this.writer = writer;
        this.commits = new GroupCommit<>("crm-sync-writes", maxBatch, batch -> writer.applyAll(batch.stream()
                .map(job -> new EventWriter.Request(job.item().event(), job.item().write(), job)).toList()), completions);
    }

    public EventWriter writer() {
        return writer;
    }

    /** Completes, on a completion thread, with the outcome once the write is durable, or with its failure. */
    public CompletionStage<Outcome> submit(CanonicalEvent event, Write write) {
        return commits.submit(new Pending(event, write));
    }

    @Override
    public void close() {
        commits.close();
    }
}
