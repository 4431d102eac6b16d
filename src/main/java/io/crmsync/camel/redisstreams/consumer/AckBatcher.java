package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges the completed entries of one consumer group: queued per stream and sent as one XACK per stream when
 * {@code batchSize} are queued, every {@code interval}, and on close. A batch of 1 is sent at once, on the completing
 * thread. A failed XACK puts its ids back and they go with the next flush, which after a Redis outage is the first one
 * that succeeds: an ack is never dropped, and XACK of an id already acked is harmless.
 */
public final class AckBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);

    // XACK stream group ids...; throws when Redis cannot be reached
    private final BiConsumer<String, List<String>> xack;
    // told which ids Redis confirmed: for the acked count, and so an entry stays in flight until its XACK is sent
    private final BiConsumer<String, List<String>> acked;
    private final int batchSize;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Queue<String>> queues = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    // one flush at a time, so a retried batch is never sent twice concurrently
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ScheduledFuture<?> periodic;
    // after close, an exchange that completes late is not acked: its entry stays pending and is delivered again
    private volatile boolean closed;

    /** @param scheduler flushes every interval and full batches; null in tests, which flush by hand */
    public AckBatcher(BiConsumer<String, List<String>> xack, BiConsumer<String, List<String>> acked, int batchSize,
                      Duration interval, ScheduledExecutorService scheduler) {
        this.xack = xack;
        this.acked = acked;
        this.batchSize = Math.max(1, batchSize);
        this.scheduler = scheduler;
        long millis = Math.max(1, interval.toMillis());
        this.periodic = scheduler == null ? null
                : scheduler.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    public void ack(String stream, String id) {
        if (closed) {
            LOG.warn("Entry {} of {} completed after its consumer stopped: it is not acked, stays pending and will be "
                    + "delivered again", id, stream);
            return;
        }
        if (batchSize == 1 && send(stream, List.of(id))) {
            return;
        }
        // a batch of 1 whose XACK failed waits here for the next flush, like any batch
        queues.computeIfAbsent(stream, s -> new ConcurrentLinkedQueue<>()).add(id);
        boolean full = queued.incrementAndGet() % batchSize == 0;
        if (full && batchSize > 1 && scheduler != null) {
            // flush on the scheduler, not on the completing exchange's thread, which is often the poll loop
            try {
                scheduler.execute(this::flushQuietly);
            } catch (RuntimeException rejected) {
                // scheduler shutting down: close() flushes
            }
        }
    }

    /** Sends every queued ack now; false if some could not be sent (they stay queued). */
    public boolean flush() {
        flushLock.lock();
        try {
            for (Map.Entry<String, Queue<String>> entry : queues.entrySet()) {
                Queue<String> queue = entry.getValue();
                while (!queue.isEmpty()) {
                    List<String> batch = new ArrayList<>(batchSize);
                    String id;
                    while (batch.size() < batchSize && (id = queue.poll()) != null) {
                        batch.add(id);
                    }
                    if (batch.isEmpty()) {
                        break;
                    }
                    if (!send(entry.getKey(), batch)) {
                        queue.addAll(batch);
                        return false;
                    }
                    queued.addAndGet(-batch.size());
                }
            }
            return true;
        } finally {
            flushLock.unlock();
        }
    }

    private boolean send(String stream, List<String> ids) {
        try {
            xack.accept(stream, ids);
        } catch (RuntimeException e) {
            LOG.debug("XACK of {} ids on {} failed, kept for retry: {}", ids.size(), stream, e.getMessage());
            return false;
        }
        acked.accept(stream, ids);
        return true;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.debug("Ack flush failed: {}", e.getMessage());
        }
    }

    /** Acks not yet confirmed by Redis. */
    public int queued() {
        return Math.max(0, queued.get());
    }

    /** Flushes, then stops flushing in the background. */
    @Override
    public void close() {
        closed = true;
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (!flush()) {
            LOG.warn("{} acks could not be sent on close; those entries stay pending and will be delivered again",
                    queued());
        }
    }
}
