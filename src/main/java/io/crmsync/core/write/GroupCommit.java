package io.crmsync.core.write;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit: callers submit one item each and get a future; one thread takes whatever has queued up (at most
 * {@code maxBatch}) and hands it to {@code flush} as one batch. At low load a batch is one item and adds no wait; under
 * load the batch grows while the previous one is being written, so round trips per item fall as the rate rises.
 * <p>
 * Futures complete on {@code completions}, not on the flushing thread, so whatever the caller does next (the rest of
 * a Camel route, a dead-letter write) never holds up the next batch. A batch is handed over in chunks of at most
 * {@value #SETTLE_CHUNK} jobs, one task each, rather than a task per job (docs/benchmarks.md); a small batch is still
 * spread over {@value #SPREAD} tasks, so one slow continuation (a dead-letter write) holds up few others.
 *
 * @param <I> what is submitted
 * @param <R> what each item's future yields
 */
public final class GroupCommit<I, R> implements AutoCloseable {

    /** Writes one batch and settles every job in it; a job it leaves unsettled fails with what {@code flush} threw. */
    @FunctionalInterface
    public interface Flush<I, R> {
        void flush(List<Job<I, R>> batch) throws Exception;
    }

    /** One submitted item and the outcome its caller waits for. */
    public static final class Job<I, R> implements Settle<R> {
        private final I item;
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private R value;
        private Throwable failure;
        private boolean settled;
        private boolean handedOver;

        Job(I item) {
            this.item = item;
        }

        public I item() {
            return item;
        }

        @Override
        public void complete(R value) {
            this.value = value;
            this.settled = true;
        }

        @Override
        public void fail(Throwable failure) {
            this.failure = failure;
            this.settled = true;
        }

        private void completeFuture() {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }
    }

    /** Most jobs whose futures one completion task completes, one after another. */
    static final int SETTLE_CHUNK = 32;
    /** Tasks a batch of at least this many jobs is spread over: the app's completion pool has as many threads. */
    static final int SPREAD = 4;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);

    private final String name;
    private final int maxBatch;
    private final Flush<I, R> flush;
    private final Executor completions;
    private final BlockingQueue<Job<I, R>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public GroupCommit(String name, int maxBatch, Flush<I, R> flush, Executor completions) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.flush = flush;
        this.completions = completions;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public CompletionStage<R> submit(I item) {
        Job<I, R> job = new Job<>(item);
        // under the lock close() takes: once it has run, nothing more is queued that the flusher would never see
        synchronized (this) {
            if (running) {
                queue.add(job);
                return job.result;
            }
        }
        job.result.completeExceptionally(new IllegalStateException(name + " is stopped"));
        return job.result;
    }

    /**
     * Submits and, once the item is written, runs {@code onWritten} with its result. The returned stage completes
     * after {@code onWritten}, or with the item's own failure (not wrapped), or with what {@code onWritten} threw.
     */
    public CompletionStage<Void> submit(I item, Consumer<R> onWritten) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(item).whenComplete((value, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            try {
                onWritten.accept(value);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void run() {
        List<Job<I, R>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Job<I, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                flushAndSettle(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // the loop must outlive anything one batch throws, or every later item would wait forever
                LOG.error("{}: a batch could not be settled", name, e);
                batch.stream().filter(job -> !job.handedOver).forEach(job -> job.result.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        failRemaining();
    }

    private void flushAndSettle(List<Job<I, R>> batch) {
        Throwable failure = null;
        try {
            flush.flush(batch);
        } catch (Exception | Error e) {
            LOG.debug("{}: a batch of {} failed", name, batch.size(), e);
            failure = e;
        }
        for (Job<I, R> job : batch) {
            if (!job.settled) {
                job.fail(failure != null ? failure : new IllegalStateException(name + " left an item unsettled"));
            }
        }
        settle(batch);
    }

    private void settle(List<Job<I, R>> jobs) {
        int chunkSize = Math.max(1, Math.min(SETTLE_CHUNK, (jobs.size() + SPREAD - 1) / SPREAD));
        for (int from = 0; from < jobs.size(); from += chunkSize) {
            // a copy: the batch list is reused for the next batch
            List<Job<I, R>> chunk = List.copyOf(jobs.subList(from, Math.min(jobs.size(), from + chunkSize)));
            // a continuation's failure does not escape complete(): it fails that continuation's own stage
            Runnable complete = () -> chunk.forEach(Job::completeFuture);
            try {
                completions.execute(complete);
            } catch (RuntimeException e) {
                complete.run(); // shutting down, or refused: complete here rather than never
            }
            chunk.forEach(job -> job.handedOver = true);
        }
    }

    private void failRemaining() {
        List<Job<I, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(job -> job.fail(new IllegalStateException(name + " stopped before writing this item")));
        settle(left);
    }

    /** Writes what is queued, then stops; later submissions fail at once. */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
