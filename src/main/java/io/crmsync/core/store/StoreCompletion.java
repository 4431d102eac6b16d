package io.crmsync.core.store;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.crmsync.event.EventExchange;
import io.crmsync.persistence.Outcome;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * How every store endpoint hands an exchange back once its batched write is settled, and the source routes' last
 * step once the event's record is written ({@link io.crmsync.outcome.RecordOutcome}).
 */
public final class StoreCompletion {

    private StoreCompletion() {
    }

    /**
     * When {@code write} settles: its outcome in the {@code syncOutcome} header, or the exchange failed with what the
     * write failed with (for the route's error handler); then the exchange goes on, on the completing thread.
     */
    public static void whenWritten(Exchange exchange, AsyncCallback callback, CompletionStage<Outcome> write) {
        whenSettled(exchange, callback, write, outcome -> exchange.getMessage().setHeader(EventExchange.OUTCOME, outcome));
    }

    /**
     * When {@code stage} settles: {@code onValue} given its value, or the exchange failed with what the stage failed
     * with; then the exchange goes on, on the completing thread.
     */
    public static <T> void whenSettled(Exchange exchange, AsyncCallback callback, CompletionStage<T> stage,
            Consumer<T> onValue) {
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                onValue.accept(value);
            }
            callback.done(false);
        });
    }
}
