package io.crmsync.outcome;

import java.util.concurrent.CompletionStage;

import io.crmsync.core.store.StoreCompletion;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The last step of every source route ({@code process: {ref: recordOutcome}}): the event's processing record and
 * acknowledgment ({@link EventOutcomes#completed}), the exchange completing once both are written, without holding
 * its thread. A processor rather than a {@code bean} step, which binds the method's parameters by introspection at
 * every exchange (docs/benchmarks.md).
 */
public final class RecordOutcome extends AsyncProcessorSupport {

    private final EventOutcomes outcomes;

    public RecordOutcome(EventOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletionStage<Void> written;
        try {
            written = outcomes.completed(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        StoreCompletion.whenSettled(exchange, callback, written, ignored -> { });
        return false;
    }
}
