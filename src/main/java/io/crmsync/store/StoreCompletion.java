package io.crmsync.store;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.crmsync.event.EventExchange;
import io.crmsync.persistence.Outcome;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/** How every store endpoint hands an exchange back once its batched write is settled. */
public final class StoreCompletion {

    private StoreCompletion() {
    }

    /**
     * When {@code write} settles: its outcome in the {@code syncOutcome} header, or the exchange failed with what the
     * write failed with (for the route's error handler); then the exchange goes on, on the completing thread.
     */
    public static void whenWritten(Exchange exchange, AsyncCallback callback, CompletionStage<Outcome> write) {
        write.whenComplete((outcome, failure) -> {
            if (failure != null) {
                exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                exchange.getMessage().setHeader(EventExchange.OUTCOME, outcome);
            }
            callback.done(false);
        });
    }
}
