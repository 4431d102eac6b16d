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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues acks per stream and sends them as one XACK per stream when {@code batchSize} are queued, every
 * {@code interval}, and on close. A failed XACK puts its ids back; they go with the next flush, which after a Redis
 * outage is the first one that succeeds.
 */
final class BatchingAcknowledger implements Acknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingAcknowledger.class);

    private final AckSender sender;
    private final AckListener listener;
    private final int batchSize;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Queue<String>> queues = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    // one flush at a time, so a retried batch is never sent twice concurrently
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ScheduledFuture<?> periodic;

    BatchingAcknowledger(AckSender sender, AckListener listener, int batchSize, Duration interval,
                         ScheduledExecutorService scheduler) {
        this.sender = sender;
        this.listener = listener;
        this.batchSize = Math.max(1, batchSize);
        this.scheduler = scheduler;
        long millis = Math.max(1, interval.toMillis());
        this.periodic = scheduler == null ? null
                : scheduler.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ack(String stream, String id) {
        queues.computeIfAbsent(stream, s -> new ConcurrentLinkedQueue<>()).add(id);
        // flush on the scheduler, not on the completing exchange's thread, which is often the poll loop
        if (queued.incrementAndGet() % batchSize == 0 && scheduler != null) {
            try {
                scheduler.execute(this::flushQuietly);
            } catch (RuntimeException rejected) {
                // scheduler shutting down: close() flushes
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.debug("Ack flush failed: {}", e.getMessage());
        }
    }

    @Override
    public boolean flush() {
        flushLock.lock();
        try {
            for (Map.Entry<String, Queue<String>> entry : queues.entrySet()) {
                String stream = entry.getKey();
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
                    try {
                        sender.send(stream, batch);
                    } catch (RuntimeException e) {
                        // keep them: XACK is idempotent, so resending this batch later is safe
                        queue.addAll(batch);
                        LOG.debug("XACK of {} ids on {} failed, kept for retry: {}", batch.size(), stream, e.getMessage());
                        return false;
                    }
                    queued.addAndGet(-batch.size());
                    listener.acked(stream, batch);
                }
            }
            return true;
        } finally {
            flushLock.unlock();
        }
    }

    @Override
    public int queued() {
        return Math.max(0, queued.get());
    }

    @Override
    public void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (!flush()) {
            LOG.warn("{} acks could not be sent on close; those entries stay pending and will be delivered again",
                    queued());
        }
    }
}
