package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.crmsync.camel.redisstreams.RedisStreamsConfiguration;
import io.crmsync.camel.redisstreams.client.RedisErrors;
import io.crmsync.camel.redisstreams.client.StreamConnection;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisStreamCommands;
import org.apache.camel.util.backoff.BackOff;
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
    private final InFlight inFlight;
    private final EntryProcessor processor;
    private final StreamStats stats;
    private final BackOff backOff;
    private final Reclaimer reclaimer;
    // the consumer's ExceptionHandler: Camel's logging one, or with bridgeErrorHandler the route's error handler
    private final BiConsumer<String, Throwable> pollFailed;
    // acks not yet confirmed by Redis: while they are maxInFlight or more, nothing more is read
    private final IntSupplier unackedEntries;
    private final CountDownLatch finished = new CountDownLatch(1);
    // counted down by stop(): a backoff wait ends at once instead of running out
    private final CountDownLatch stopping = new CountDownLatch(1);

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
    // true from the first failed call until the next successful one: one report going down, one INFO coming back
    private boolean down;
    private String pendingCursor = "0";
    // the last read filled all it was granted: the stream has a backlog, so the next read waits for a whole batch
    private boolean lastReadFull;
    private long backoffMillis;

    public StreamPollTask(String stream, String consumerName, RedisStreamsConfiguration config,
                          Supplier<StreamConnection> connector, InFlight inFlight, EntryProcessor processor,
                          StreamStats stats, BackOff backOff, BiConsumer<String, Throwable> pollFailed,
                          IntSupplier unackedEntries) {
        this.stream = stream;
        this.group = config.getGroup();
        this.consumerName = consumerName;
        this.config = config;
        this.connector = connector;
        this.inFlight = inFlight;
        this.processor = processor;
        this.stats = stats;
        this.backOff = backOff;
        this.pollFailed = pollFailed;
        this.unackedEntries = unackedEntries;
        this.reclaimer = new Reclaimer(stream, Consumer.from(group, consumerName), config.getMinIdleTime(),
                config.getReclaimInterval());
    }

    @Override
    public void run() {
        LOG.info("Consuming stream {} as group {} consumer {}", stream, group, consumerName);
        reclaimer.scheduleNext();
        try {
            while (running) {
                if (suspended) {
                    state = State.SUSPENDED;
                    pause(100);
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
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
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
    private void pollOnce() throws InterruptedException {
        RedisStreamCommands<String, String> commands = commands();
        if (unackedEntries.getAsInt() >= config.getMaxInFlight()) {
            // XACK keeps failing while reads work: reading on would grow the ack queue and the in-flight set forever
            pause(100);
            return;
        }
        if (reclaimer.due()) {
            reclaim(commands);
        }
        int granted = inFlight.acquire(config.getBatchSize(), lastReadFull);
        if (granted == 0) {
            return;
        }
        boolean draining = state == State.DRAINING_PENDING;
        List<StreamMessage<String, String>> messages;
        long start = System.nanoTime();
        try {
            XReadArgs args = XReadArgs.Builder.count(granted);
            if (!draining) {
                // wake up in time for the next reclaim
                args.block(Math.min(config.getBlockTime().toMillis(), reclaimer.millisUntilDue()));
            }
            StreamOffset<String> offset = draining ? StreamOffset.from(stream, pendingCursor) : StreamOffset.lastConsumed(stream);
            messages = commands.xreadgroup(Consumer.from(group, consumerName), args, offset);
        } catch (RuntimeException e) {
            inFlight.release(granted);
            throw e;
        }
        succeeded();
        inFlight.release(granted - messages.size());
        lastReadFull = messages.size() == granted;
        if (messages.isEmpty()) {
            if (draining) {
                state = State.READING;
                LOG.debug("Drained own pending entries of {} / {} / {}; reading new ones", stream, group, consumerName);
            }
            return;
        }
        stats.pollLatency(System.nanoTime() - start);
        stats.read(messages.size());
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
            return DeliveryCounts.of(commands, stream, Consumer.from(group, consumerName), messages);
        } catch (RuntimeException e) {
            inFlight.release(messages.size());
            throw e;
        }
    }

    private void reclaim(RedisStreamCommands<String, String> commands) {
        int granted = inFlight.tryAcquire(config.getBatchSize());
        if (granted == 0) {
            reclaimer.scheduleNext();
            return;
        }
        List<StreamMessage<String, String>> messages;
        try {
            messages = reclaimer.claim(commands, granted);
        } catch (RuntimeException e) {
            inFlight.release(granted);
            throw e;
        }
        succeeded();
        inFlight.release(granted - Math.min(granted, messages.size()));
        if (messages.isEmpty()) {
            return;
        }
        int fresh = (int) messages.stream().filter(m -> !inFlight.contains(stream, m.getId())).count();
        LOG.info("Reclaimed {} entries idle over {} on {} / {} for consumer {}", messages.size(), config.getMinIdleTime(),
                stream, group, consumerName);
        stats.reclaimed(fresh);
        stats.read(fresh);
        dispatch(commands, messages, deliveryCountsOrRelease(commands, messages));
    }

    // each message holds one permit on entry; completed() gives it back. counts: delivery counts of pending or claimed
    // entries, null for a '>' read (first deliveries)
    private void dispatch(RedisStreamCommands<String, String> commands, List<StreamMessage<String, String>> messages,
                          Map<String, Long> counts) {
        for (StreamMessage<String, String> message : messages) {
            String id = message.getId();
            if (message.getBody() == null || message.getBody().isEmpty()) {
                // deleted from the stream (XDEL / trimming) while pending: nothing to process, so clear it
                LOG.warn("Entry {} of {} / {} was deleted while pending on {}; acking it", id, stream, group, consumerName);
                try {
                    commands.xack(stream, group, id);
                } catch (RuntimeException e) {
                    // harmless: it stays pending and is cleared at the next reclaim or drain
                    LOG.debug("XACK of deleted entry {} on {} failed: {}", id, stream, e.toString());
                } finally {
                    inFlight.release(1);
                }
                continue;
            }
            if (!inFlight.start(stream, id)) {
                // claimed back while this process still works on it: the running exchange will ack it
                inFlight.release(1);
                continue;
            }
            if (counts != null && !counts.containsKey(id)) {
                // no longer pending on this consumer (acked meanwhile, or claimed by another): not ours to run
                inFlight.end(stream, id);
                inFlight.release(1);
                continue;
            }
            long count = counts == null ? 1L : counts.get(id);
            // the entry stays in flight until its XACK is sent, or at once if it fails and stays pending (see the
            // consumer): until then a reclaim that catches it must not run it a second time
            processor.process(stream, id, message.getBody(), consumerName, count, this::completed);
            lastProgressMillis = System.currentTimeMillis();
        }
    }

    /**
     * An exchange finished: its permit is free again, and it counts as progress. A loop waiting for permits behind a
     * slow route is busy, not stalled; only one whose exchanges never finish and that reads nothing is.
     */
    private void completed() {
        inFlight.release(1);
        lastProgressMillis = System.currentTimeMillis();
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
            // once per outage, not once per attempt
            down = true;
            pollFailed.accept("Redis call failed for " + stream + " / " + group + " / " + consumerName
                    + "; retrying with backoff", e);
        } else {
            LOG.debug("Redis still unreachable for {} / {} / {}: {}", stream, group, consumerName, e.toString());
        }
        long first = Math.max(1, backOff.getDelay().toMillis());
        backoffMillis = backoffMillis == 0 ? first : Math.min((long) (backoffMillis * backOff.getMultiplier()),
                backOff.getMaxDelay().toMillis());
        pause(backoffMillis);
    }

    /** Waits, unless stop() comes first. */
    private void pause(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
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
        reclaimer.now();
    }

    public void stop() {
        running = false;
        state = State.STOPPING;
        stopping.countDown();
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
