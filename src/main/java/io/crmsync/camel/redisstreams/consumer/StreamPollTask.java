package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import io.crmsync.camel.redisstreams.client.RedisErrors;
import io.crmsync.camel.redisstreams.client.StreamConnection;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read loop of one group consumer on one stream. It owns its connection, because XREADGROUP BLOCK holds a
 * connection and because in a cluster one stream lives on one shard (so no command ever spans slots).
 * <p>
 * After (re)start and after every reconnect it first re-reads this consumer's own pending entries (id {@code 0}),
 * then new ones ({@code >}); every {@code reclaimInterval} it claims entries idle on any consumer. It reads only as
 * many entries as there are free in-flight permits, which is what bounds memory.
 */
public final class StreamPollTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPollTask.class);

    public enum State { STARTING, DRAINING_PENDING, READING, DISCONNECTED, SUSPENDED, STOPPING, STOPPED }

    private final String stream;
    private final String group;
    private final String consumerName;
    private final RedisStreamsConfiguration config;
    private final Supplier<StreamConnection> connector;
    private final Semaphore permits;
    private final Set<String> inFlight;
    private final EntryProcessor processor;
    private final StreamMetrics metrics;
    private final CountDownLatch finished = new CountDownLatch(1);

    // written by the loop, read by the health check and the consumer's lifecycle methods
    private volatile State state = State.STARTING;
    // cleared by stop(); the loop exits at its next turn
    private volatile boolean running = true;
    // set by suspend(); the loop keeps its connection but issues no reads
    private volatile boolean suspended;
    // last successful Redis call or dispatched entry, for the health check's stall detection: a slow synchronous
    // route keeps the loop away from Redis for a while, but it is still making progress
    private volatile long lastProgressMillis = System.currentTimeMillis();

    // loop-thread only
    private StreamConnection connection;
    // true from the first failed call until the next successful one: WARN once going down, INFO once coming back
    private boolean down;
    private String pendingCursor = "0";
    private String reclaimCursor = "0-0";
    // set by reclaimNow(): the next reclaim scans the pending list from its start
    private volatile boolean rescanFromStart;
    // volatile: reclaimNow() sets it from an ops thread so the loop reclaims at its next turn
    private volatile long nextReclaimMillis;
    private long backoffMillis;

    public StreamPollTask(String stream, String consumerName, RedisStreamsConfiguration config,
                          Supplier<StreamConnection> connector, Semaphore permits, Set<String> inFlight,
                          EntryProcessor processor, StreamMetrics metrics) {
        this.stream = stream;
        this.group = config.getGroup();
        this.consumerName = consumerName;
        this.config = config;
        this.connector = connector;
        this.permits = permits;
        this.inFlight = inFlight;
        this.processor = processor;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        LOG.info("Consuming stream {} as group {} consumer {}", stream, group, consumerName);
        nextReclaimMillis = System.currentTimeMillis() + config.getReclaimInterval().toMillis();
        try {
            while (running) {
                if (suspended) {
                    state = State.SUSPENDED;
                    sleep(100);
                    continue;
                }
                if (state == State.STARTING || state == State.SUSPENDED) {
                    startDraining();
                }
                try {
                    pollOnce();
                } catch (RedisCommandExecutionException e) {
                    if (isNoGroup(e)) {
                        recreateGroup();
                    } else {
                        failed(e);
                    }
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
        } finally {
            state = State.STOPPED;
            closeConnection();
            finished.countDown();
            LOG.info("Stopped consuming stream {} as group {} consumer {}", stream, group, consumerName);
        }
    }

    @SuppressWarnings("unchecked") // generic varargs of xreadgroup
    private void pollOnce() {
        RedisStreamCommands<String, String> commands = commands();
        if (System.currentTimeMillis() >= nextReclaimMillis) {
            reclaim(commands);
            nextReclaimMillis = System.currentTimeMillis() + config.getReclaimInterval().toMillis();
        }
        int granted = acquirePermits();
        if (granted == 0) {
            return;
        }
        boolean draining = state == State.DRAINING_PENDING;
        List<StreamMessage<String, String>> messages;
        long start = System.nanoTime();
        try {
            XReadArgs args = XReadArgs.Builder.count(granted);
            if (!draining) {
                // wake up in time for the next reclaim; BLOCK 0 would mean forever, so at least 1 ms
                long untilReclaim = Math.max(1, nextReclaimMillis - System.currentTimeMillis());
                args.block(Math.min(config.getBlockTime().toMillis(), untilReclaim));
            }
            StreamOffset<String> offset = draining ? StreamOffset.from(stream, pendingCursor) : StreamOffset.lastConsumed(stream);
            messages = commands.xreadgroup(Consumer.from(group, consumerName), args, offset);
        } catch (RuntimeException e) {
            permits.release(granted);
            throw e;
        }
        succeeded();
        permits.release(granted - messages.size());
        if (messages.isEmpty()) {
            if (draining) {
                state = State.READING;
                LOG.debug("Drained own pending entries of {} / {} / {}; reading new ones", stream, group, consumerName);
            }
            return;
        }
        metrics.pollLatency(System.nanoTime() - start);
        metrics.read(messages.size());
        if (draining) {
            pendingCursor = messages.get(messages.size() - 1).getId();
            dispatch(commands, messages, deliveryCountsOrRelease(commands, messages));
        } else {
            // a '>' read is the first delivery of each entry
            dispatch(commands, messages, null);
        }
    }

    /**
     * Redis lost the group (e.g. restarted without persistence): recreate it and go on. Redis may still be loading or
     * failing over, so a failure here is an ordinary failure with backoff, never the end of the loop.
     */
    private void recreateGroup() {
        LOG.warn("Group {} missing on stream {} (consumer {}); recreating it", group, stream, consumerName);
        try {
            createGroup(commands(), stream, group, config.getStartId());
            succeeded();
            startDraining();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    // entries that are read but never dispatched must give their permits back, or the loop would starve itself
    private Map<String, Long> deliveryCountsOrRelease(RedisStreamCommands<String, String> commands,
                                                      List<StreamMessage<String, String>> messages) {
        try {
            return deliveryCounts(commands, messages);
        } catch (RuntimeException e) {
            permits.release(messages.size());
            throw e;
        }
    }

    private void reclaim(RedisStreamCommands<String, String> commands) {
        int granted = 0;
        try {
            granted = permits.tryAcquire(config.getBatchSize(), 0, TimeUnit.MILLISECONDS) ? config.getBatchSize()
                    : drainPermits(config.getBatchSize());
            if (granted == 0) {
                return;
            }
            if (rescanFromStart) {
                rescanFromStart = false;
                reclaimCursor = "0-0";
            }
            ClaimedMessages<String, String> claimed = commands.xautoclaim(stream,
                    XAutoClaimArgs.Builder.<String>xautoclaim(Consumer.from(group, consumerName), config.getMinIdleTime(),
                            reclaimCursor).count(granted));
            succeeded();
            reclaimCursor = claimed.getId() == null ? "0-0" : claimed.getId();
            List<StreamMessage<String, String>> messages = claimed.getMessages().stream()
                    .filter(m -> m.getId() != null).toList();
            int fresh = (int) messages.stream().filter(m -> !inFlight.contains(key(m.getId()))).count();
            if (!messages.isEmpty()) {
                LOG.info("Reclaimed {} entries idle over {} on {} / {} for consumer {}", messages.size(),
                        config.getMinIdleTime(), stream, group, consumerName);
                metrics.reclaimed(fresh);
                metrics.read(fresh);
            }
            int used = Math.min(granted, messages.size());
            permits.release(granted - used);
            granted = 0;
            dispatch(commands, messages, messages.isEmpty() ? Map.of() : deliveryCountsOrRelease(commands, messages));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            permits.release(granted);
        }
    }

    private int drainPermits(int max) {
        int got = 0;
        while (got < max && permits.tryAcquire()) {
            got++;
        }
        return got;
    }

    /**
     * Waits up to a short while for at least one permit, then takes as many more as are free (at most a batch). The
     * short wait keeps stop and suspend responsive while the route is saturated.
     */
    private int acquirePermits() {
        try {
            if (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return 0;
        }
        return 1 + drainPermits(config.getBatchSize() - 1);
    }

    /** XPENDING of this consumer over the batch's id range: how often each entry has been delivered. */
    private Map<String, Long> deliveryCounts(RedisStreamCommands<String, String> commands,
                                             List<StreamMessage<String, String>> messages) {
        String first = messages.get(0).getId();
        String last = messages.get(messages.size() - 1).getId();
        List<PendingMessage> pending = commands.xpending(stream, XPendingArgs.Builder.xpending(
                Consumer.from(group, consumerName), Range.create(first, last), Limit.from(Math.max(messages.size(), 1) * 2L)));
        Map<String, Long> counts = new HashMap<>();
        for (PendingMessage p : pending) {
            counts.put(p.getId(), p.getRedeliveryCount());
        }
        // the range also holds this consumer's other pending entries, so the page may stop short of some of ours:
        // look those up one by one rather than take them for first deliveries and slip past the delivery cap
        for (StreamMessage<String, String> message : messages) {
            if (!counts.containsKey(message.getId())) {
                commands.xpending(stream, XPendingArgs.Builder.xpending(Consumer.from(group, consumerName),
                        Range.create(message.getId(), message.getId()), Limit.from(1)))
                        .forEach(p -> counts.put(p.getId(), p.getRedeliveryCount()));
            }
        }
        return counts;
    }

    // each message holds one permit on entry; done() gives it back. counts: delivery counts of pending or claimed
    // entries, null for a '>' read (first deliveries)
    private void dispatch(RedisStreamCommands<String, String> commands, List<StreamMessage<String, String>> messages,
                          Map<String, Long> counts) {
        for (StreamMessage<String, String> message : messages) {
            String id = message.getId();
            String key = key(id);
            if (message.getBody() == null || message.getBody().isEmpty()) {
                // deleted from the stream (XDEL / trimming) while pending: nothing to process, so clear it
                LOG.warn("Entry {} of {} / {} was deleted while pending on {}; acking it", id, stream, group, consumerName);
                try {
                    commands.xack(stream, group, id);
                } catch (RuntimeException e) {
                    // harmless: it stays pending and is cleared at the next reclaim or drain
                    LOG.debug("XACK of deleted entry {} on {} failed: {}", id, stream, e.toString());
                } finally {
                    permits.release();
                }
                continue;
            }
            if (!inFlight.add(key)) {
                // claimed back while this process still works on it: the running exchange will ack it
                permits.release();
                continue;
            }
            if (counts != null && !counts.containsKey(id)) {
                // no longer pending on this consumer (acked meanwhile, or claimed by another): not ours to run
                inFlight.remove(key);
                permits.release();
                continue;
            }
            long count = counts == null ? 1L : counts.get(id);
            // the key leaves inFlight when the entry's XACK is sent, or at once if it fails and stays pending (see
            // the consumer): until then a reclaim that catches it must not run it a second time
            processor.process(stream, id, message.getBody(), consumerName, count, this::completed);
            lastProgressMillis = System.currentTimeMillis();
        }
    }

    /**
     * An exchange finished: its permit is free again, and it counts as progress. A loop waiting for permits behind a
     * slow route is busy, not stalled; only one whose exchanges never finish and that reads nothing is.
     */
    private void completed() {
        permits.release();
        lastProgressMillis = System.currentTimeMillis();
    }

    private String key(String id) {
        return inFlightKey(stream, id);
    }

    /** How an entry is named in the in-flight set shared by a consumer's tasks. */
    public static String inFlightKey(String stream, String id) {
        return stream + '/' + id;
    }

    private void startDraining() {
        pendingCursor = "0";
        state = State.DRAINING_PENDING;
    }

    private RedisStreamCommands<String, String> commands() {
        if (connection == null) {
            connection = connector.get();
            // a BLOCK read must not time out on the client side before Redis answers it
            connection.setTimeout(config.getBlockTime().plusSeconds(5));
        }
        return connection.commands();
    }

    private void succeeded() {
        lastProgressMillis = System.currentTimeMillis();
        backoffMillis = 0;
        if (down) {
            down = false;
            // entries read just before the cut may never have reached us: re-read our pending list
            LOG.info("Redis reachable again for {} / {} / {}; re-reading own pending entries", stream, group, consumerName);
            startDraining();
        }
    }

    private void failed(RuntimeException e) {
        if (!running) {
            return;
        }
        state = State.DISCONNECTED;
        if (RedisErrors.isRoleChange(e)) {
            // connected to a demoted primary: a new connection asks Sentinel / the cluster for the current one
            closeConnection();
        }
        if (!down) {
            // once per state change, not once per attempt
            down = true;
            LOG.warn("Redis call failed for {} / {} / {}: {}; retrying with backoff", stream, group, consumerName,
                    e.toString());
        } else {
            LOG.debug("Redis still unreachable for {} / {} / {}: {}", stream, group, consumerName, e.toString());
        }
        long min = Math.max(1, config.getReconnectBackoffMin().toMillis());
        backoffMillis = backoffMillis == 0 ? min : Math.min(backoffMillis * 2, config.getReconnectBackoffMax().toMillis());
        sleep(backoffMillis);
    }

    private void sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        try {
            // sleep in slices so stop() is not held up by a long backoff
            while (running && System.currentTimeMillis() < until) {
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing connection of {} failed: {}", stream, e.toString());
            }
            connection = null;
        }
    }

    static boolean isNoGroup(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    /**
     * XGROUP CREATE ... MKSTREAM; an existing group (BUSYGROUP) is fine.
     */
    public static void createGroup(RedisStreamCommands<String, String> commands, String stream, String group,
                                   String startId) {
        try {
            commands.xgroupCreate(StreamOffset.from(stream, startId), group, XGroupCreateArgs.Builder.mkstream());
            LOG.info("Created group {} on stream {} from {}", group, stream, startId);
        } catch (RedisBusyException e) {
            LOG.debug("Group {} exists on stream {}", group, stream);
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Reclaims idle pending entries at the loop's next turn instead of waiting for reclaimInterval. */
    public void reclaimNow() {
        rescanFromStart = true;
        nextReclaimMillis = 0;
    }

    public void stop() {
        running = false;
        state = State.STOPPING;
    }

    public void suspend() {
        suspended = true;
    }

    public void resume() {
        suspended = false;
    }

    /** Waits for the loop to exit. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    public long lastProgressMillis() {
        return lastProgressMillis;
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public String consumerName() {
        return consumerName;
    }
}
