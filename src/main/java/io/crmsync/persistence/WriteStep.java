package io.crmsync.persistence;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventExchange;
import org.apache.camel.Exchange;

/**
 * The routes' write endpoint: applies the exchange's {@link Write} for its event and records the outcome as a header.
 * <p>
 * Asynchronous: the exchange waits for its event's batch without holding a thread, so a stream's next entries are
 * read and routed meanwhile, and whatever queued up while one batch was written is written as the next.
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

    /** Camel runs the rest of the route when the returned stage completes, or hands its failure to the error handler. */
    public CompletionStage<Void> apply(Exchange exchange) throws Exception {
        CanonicalEvent event = EventExchange.event(exchange);
        Write write = exchange.getMessage().getMandatoryBody(Write.class);
        return commits.submit(new Pending(event, write),
                outcome -> exchange.getMessage().setHeader(EventExchange.OUTCOME, outcome));
    }

    @Override
    public void close() {
        commits.close();
    }
}
