package io.crmsync.startup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The indexes of the routes' mappings ({@link io.crmsync.stores.mongodb.MappedIndexes}), made once MongoDB has answered
 * and before any stream entry is read, so that a build MongoDB refuses is logged at start-up and never first met by an
 * event. Not in the MongoDB gate's probe itself: when MongoDB first answers, Camel has usually not made the routes yet,
 * and their endpoints are what says which collections, ledgers and lookups the mappings write to. Made on a thread of
 * their own (a build on a large collection takes a while): a consumer's start waits for them at most as long as for a
 * server's first answer, and after that its launcher asks again every second, as it does for a server.
 */
final class IndexesBeforeReading {

    static final String WAITING = "mongodb indexes of the routes' mappings";

    private final Runnable ensure;
    // the current attempt; replaced by a new one when it failed (MongoDB away again), never while it runs
    private CompletableFuture<Void> attempt;

    IndexesBeforeReading(Runnable ensure) {
        this.ensure = ensure;
    }

    /** Null once the indexes are made (or refused, and logged); else what the consumers wait for. */
    String waitingFor(Duration wait) {
        CompletableFuture<Void> current;
        synchronized (this) {
            if (attempt == null || attempt.isCompletedExceptionally()) {
                attempt = CompletableFuture.runAsync(ensure, task -> {
                    Thread thread = new Thread(task, "crm-sync-mapped-indexes");
                    thread.setDaemon(true);
                    thread.start();
                });
            }
            current = attempt;
        }
        try {
            current.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return WAITING + " (being made)";
        } catch (ExecutionException e) {
            return WAITING + " (" + e.getCause() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WAITING;
        }
    }
}
