package io.crmsync.camel.redisstreams;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.ReconnectingConnection;
import io.crmsync.camel.redisstreams.consumer.AckBatcher;
import io.crmsync.camel.redisstreams.consumer.ClaimRefresher;
import io.crmsync.camel.redisstreams.consumer.InFlight;
import io.crmsync.camel.redisstreams.consumer.StreamStats;
import io.crmsync.camel.redisstreams.consumer.StreamStatsListener;
import io.crmsync.camel.redisstreams.consumer.StreamPollTask;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XPendingArgs;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.backoff.BackOff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle of the poll tasks of one endpoint: one {@link StreamPollTask} per stream and consumer thread, sharing an
 * in-flight bound, an acknowledger and a connection for acks and metrics.
 */
@ManagedResource(description = "Managed RedisStreamsConsumer")
public class RedisStreamsConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private final RedisStreamsConfiguration config;
    // read by the health check on probe threads while start and stop change it
    private final List<StreamPollTask> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, StreamStats> metrics = new ConcurrentHashMap<>();
    // the entries between read and ack, shared by the poll tasks: bounds reading, and a reclaim never runs one twice
    private InFlight inFlight = new InFlight(1);
    private EntryExchanges exchanges;
    private ReconnectingConnection shared;
    // sampling pending and lag has its own thread and connection: on Redis 6.2 the lag fallback reads up to 10,000
    // entries, and acks must not queue behind that
    private ReconnectingConnection sampling;
    private ScheduledExecutorService sampler;
    private AckBatcher acknowledger;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private RedisStreamsConsumerHealthCheck healthCheck;
    private static final long LAUNCH_INTERVAL_MILLIS = 1000;
    // until the start condition holds and Redis answers, the route runs and this tries to launch the poll tasks
    private final Object launchLock = new Object();
    private ScheduledExecutorService launcher;
    private boolean launched;
    // read by the health check on probe threads
    private volatile String waitingFor;

    public RedisStreamsConsumer(RedisStreamsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.config = endpoint.getConfiguration();
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (config.getGroup() == null || config.getGroup().isBlank()) {
            throw new IllegalArgumentException("Consuming " + getEndpoint().getStreams() + " needs a consumer group: set "
                    + "group on the endpoint or on the component's configuration");
        }
        // registered first, so readiness says why this consumer does not read while it waits
        registerHealthCheck();
        if (!launch()) {
            // the route runs; its entries wait in the stream, unread, until what it waits for answers
            LOG.info("Not reading {} / {} yet: waiting for {}; reading begins once it answers", getEndpoint().streamKeys(),
                    config.getGroup(), waitingFor);
            ScheduledExecutorService starting = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "RedisStreamsStart");
            launcher = starting;
            starting.scheduleWithFixedDelay(() -> launchLater(starting), LAUNCH_INTERVAL_MILLIS, LAUNCH_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Tried again on the launcher's thread until it has launched; then the launcher ends. */
    private void launchLater(ScheduledExecutorService starting) {
        try {
            if (launch()) {
                LOG.info("Reading {} / {} now: what it waited for answers", getEndpoint().streamKeys(), config.getGroup());
                starting.shutdown();
            }
        } catch (Exception e) {
            // not a server that is away (a wrong ACL, a key of the wrong type): said once, then tried again quietly
            if (!String.valueOf(e).equals(waitingFor)) {
                LOG.warn("Cannot start reading {} / {}: {}", getEndpoint().streamKeys(), config.getGroup(), e.toString());
            }
            waitingFor = String.valueOf(e);
        }
    }

    /**
     * Starts reading unless the start condition names something to wait for or Redis is unreachable; false then, with
     * {@link #waitingFor} saying what. Any other failure (a wrong ACL, a key of the wrong type) is thrown.
     */
    private boolean launch() throws Exception {
        synchronized (launchLock) {
            if (launched || !isRunAllowed()) {
                return launched;
            }
            StartCondition condition = getEndpoint().getComponent().getStartCondition();
            String waiting = condition == null ? null : condition.waitingFor(getRouteId());
            if (waiting != null) {
                waitingFor = waiting;
                return false;
            }
            try {
                readStreams();
            } catch (io.lettuce.core.RedisConnectionException | io.lettuce.core.RedisCommandTimeoutException e) {
                // Redis is away: not a reason to fail the route, whose entries wait in Redis anyway
                closeConnections();
                waitingFor = "redis (" + e.getMessage() + ")";
                return false;
            } catch (RuntimeException e) {
                closeConnections();
                throw e;
            }
            waitingFor = null;
            launched = true;
            return true;
        }
    }

    private void readStreams() {
        List<String> streams = getEndpoint().streamKeys();
        RedisStreamsClient client = getEndpoint().client();
        // acks and samples are quick calls: fail them fast rather than hold the ack flusher for Lettuce's 60 s default
        shared = new ReconnectingConnection(client::connect, Duration.ofSeconds(10));
        // pre-create the groups so a wrong ACL or key type fails the route at start, not at the first poll
        for (String stream : streams) {
            StreamPollTask.createGroup(shared.commands(), stream, config.getGroup(), config.getStartId());
        }
        streams.forEach(stream -> metrics.put(stream, new StreamStats(stream, config.getGroup())));
        StreamStatsListener listener = getEndpoint().getComponent().getStatsListener();
        if (listener != null) {
            metrics.values().forEach(listener::started);
        }
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        scheduler = executors.newSingleThreadScheduledExecutor(this, "RedisStreamsAcks");
        acknowledger = new AckBatcher(
                (stream, ids) -> {
                    try {
                        shared.commands().xack(stream, config.getGroup(), ids.toArray(String[]::new));
                    } catch (RuntimeException e) {
                        shared.onError(e);
                        throw e;
                    }
                },
                (stream, ids) -> {
                    StreamStats stats = metrics.get(stream);
                    if (stats != null) {
                        stats.acked(ids.size());
                    }
                    ids.forEach(id -> inFlight.end(stream, id));
                }, config.getAckBatchSize(), config.getAckInterval(), scheduler);
        inFlight = new InFlight(config.getMaxInFlight());
        exchanges = new EntryExchanges(this, config, acknowledger, inFlight);
        int threads = Math.max(1, config.getConsumersCount());
        RedisStreamsComponent component = getEndpoint().getComponent();
        BackOff backOff = BackOff.builder().delay(component.getReconnectBackoffMin())
                .maxDelay(component.getReconnectBackoffMax()).multiplier(2.0).build();
        for (String stream : streams) {
            for (int i = 1; i <= threads; i++) {
                // names stay the same across restarts, so a restarted instance finds its own pending entries
                String name = threads == 1 ? config.getConsumerName() : config.getConsumerName() + "-" + i;
                tasks.add(new StreamPollTask(stream, name, config, client::connect, inFlight,
                        this::process, metrics.get(stream), backOff, this::pollFailed, acknowledger::queued));
            }
        }
        long sampleMillis = Math.max(100, config.getMetricsInterval().toMillis());
        // well within minIdleTime: an entry being processed here is never idle long enough to be reclaimed
        Map<String, String> consumerOfStream = new LinkedHashMap<>();
        tasks.forEach(task -> consumerOfStream.putIfAbsent(task.stream(), task.consumerName()));
        long refreshMillis = Math.max(100, config.getMinIdleTime().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(new ClaimRefresher(shared::commands, shared::onError, config.getGroup(),
                consumerOfStream, inFlight), refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        sampling = new ReconnectingConnection(client::connect, Duration.ofSeconds(10));
        sampler = executors.newSingleThreadScheduledExecutor(this, "RedisStreamsSampler");
        sampler.scheduleWithFixedDelay(this::sampleMetrics, 0, sampleMillis, TimeUnit.MILLISECONDS);
        executor = executors.newFixedThreadPool(this, "RedisStreamsConsumer[" + getEndpoint().getStreams() + "]",
                tasks.size());
        tasks.forEach(executor::submit);
        LOG.info("Started {} poll task(s) on {} for group {} via {}", tasks.size(), streams, config.getGroup(),
                client.description());
    }

    private void closeConnections() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** What this consumer waits for before it reads (a server that has not answered), or null once it reads. */
    public String waitingFor() {
        return waitingFor;
    }

    /**
     * Camel 4 finds consumer checks through {@code HealthCheckAware}: its "consumers" repository wraps this check as
     * {@code consumer:<routeId>} (Camel 4.17 has no writable "components" repository to add it to).
     */
    private void registerHealthCheck() {
        healthCheck = new RedisStreamsConsumerHealthCheck(this, getRouteId());
        healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        setHealthCheck(healthCheck);
        // resolve (and so register) the consumers repository when the registry is on but nothing loaded it yet
        HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "consumers");
    }

    /** Runs the exchange of one entry; see {@link io.crmsync.camel.redisstreams.consumer.EntryProcessor}. */
    private void process(String stream, String id, Map<String, String> fields, String consumerName, long deliveryCount,
                         Runnable done) {
        Exchange exchange;
        try {
            exchange = exchanges.create(stream, id, fields, consumerName, deliveryCount, metrics.get(stream));
        } catch (RuntimeException e) {
            // nothing ran, so nothing is acked: the entry stays pending and is delivered again
            LOG.warn("Could not process entry {} of {} / {} / {}", id, stream, config.getGroup(), consumerName, e);
            inFlight.end(stream, id);
            done.run();
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            releaseExchange(exchange, false);
            done.run();
        });
    }

    /** The first failure of an outage, through the consumer's ExceptionHandler (so bridgeErrorHandler applies). */
    private void pollFailed(String message, Throwable failure) {
        getExceptionHandler().handleException(message, failure);
    }

    private void sampleMetrics() {
        for (StreamStats m : metrics.values()) {
            try {
                m.sample(sampling.commands());
            } catch (RuntimeException e) {
                sampling.onError(e);
                LOG.debug("Metrics sampling failed: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (launchLock) {
            // a launch in progress ends before the stop goes on; none begins after it
            launched = false;
            waitingFor = null;
        }
        if (launcher != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(launcher);
            launcher = null;
        }
        tasks.forEach(StreamPollTask::stop);
        Duration timeout = config.getShutdownTimeout();
        long started = System.currentTimeMillis();
        for (StreamPollTask task : tasks) {
            // a task may be inside a BLOCK read; it returns within blockTime
            task.awaitStopped(config.getBlockTime().plusSeconds(5));
        }
        // in-flight exchanges give their permits back when they complete
        int left = inFlight.awaitIdle(timeout.minusMillis(System.currentTimeMillis() - started));
        if (left > 0) {
            LOG.warn("{} exchanges still in flight after {}; their entries stay pending and will be redelivered", left, timeout);
        }
        if (acknowledger != null) {
            acknowledger.close();
        }
        if (config.isDeleteConsumerOnStop() && shared != null) {
            deleteIdleConsumers();
        }
        setHealthCheck(null);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (sampler != null) {
            executors.shutdownNow(sampler);
        }
        if (sampling != null) {
            sampling.close();
        }
        if (scheduler != null) {
            executors.shutdownNow(scheduler);
        }
        if (executor != null) {
            executors.shutdownNow(executor);
        }
        StreamStatsListener listener = getEndpoint().getComponent().getStatsListener();
        if (listener != null) {
            metrics.values().forEach(listener::stopped);
        }
        metrics.clear();
        if (shared != null) {
            shared.close();
        }
        tasks.clear();
        inFlight.clear();
        super.doStop();
    }

    /** After the last acks: each of this consumer's names that holds no pending entry leaves its group. */
    private void deleteIdleConsumers() {
        for (StreamPollTask task : tasks) {
            Consumer<String> me = Consumer.from(config.getGroup(), task.consumerName());
            try {
                boolean holdsEntries = !shared.commands().xpending(task.stream(),
                        XPendingArgs.Builder.xpending(me, Range.create("-", "+"), Limit.from(1))).isEmpty();
                if (holdsEntries) {
                    LOG.info("Consumer {} keeps its entries pending on {} / {}; a live consumer will reclaim them",
                            task.consumerName(), task.stream(), config.getGroup());
                } else {
                    shared.commands().xgroupDelconsumer(task.stream(), me);
                }
            } catch (RuntimeException e) {
                // harmless: an idle consumer entry stays listed in XINFO CONSUMERS
                LOG.debug("Could not remove consumer {} from {} / {}: {}", task.consumerName(), task.stream(),
                        config.getGroup(), e.toString());
            }
        }
    }

    @Override
    protected void doSuspend() throws Exception {
        tasks.forEach(StreamPollTask::suspend);
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        tasks.forEach(StreamPollTask::resume);
        super.doResume();
    }

    /** Asks every poll task to reclaim idle pending entries now (ops "re-drive"). */
    public void reclaimNow() {
        tasks.forEach(StreamPollTask::reclaimNow);
    }

    /** The numbers of each stream this consumer reads. */
    public List<StreamStats> getStats() {
        return List.copyOf(metrics.values());
    }

    @ManagedAttribute(description = "Entries read, over all streams")
    public long getReadTotal() {
        return metrics.values().stream().mapToLong(StreamStats::readTotal).sum();
    }

    @ManagedAttribute(description = "Entries acknowledged (XACK), over all streams")
    public long getAckedTotal() {
        return metrics.values().stream().mapToLong(StreamStats::ackedTotal).sum();
    }

    @ManagedAttribute(description = "Entries reclaimed from other consumers (XAUTOCLAIM), over all streams")
    public long getReclaimedTotal() {
        return metrics.values().stream().mapToLong(StreamStats::reclaimedTotal).sum();
    }

    @ManagedAttribute(description = "Entries handed to the error handler at the delivery cap, over all streams")
    public long getDeadLetteredTotal() {
        return metrics.values().stream().mapToLong(StreamStats::deadLetteredTotal).sum();
    }

    @ManagedAttribute(description = "Entries pending in the group, as last sampled, over all streams")
    public long getPending() {
        return metrics.values().stream().mapToLong(StreamStats::pending).sum();
    }

    @ManagedAttribute(description = "Entries not yet delivered to the group, as last sampled, over all streams")
    public long getLag() {
        return metrics.values().stream().mapToLong(StreamStats::lag).sum();
    }

    @ManagedAttribute(description = "Entries read and not yet completed")
    public int getInFlight() {
        return inFlight.size();
    }

    /** Read-only view of the poll tasks, for the health check and ops code. */
    public List<StreamPollTask> getTasks() {
        return Collections.unmodifiableList(tasks);
    }

    /** State per task, keyed by {@code stream/consumerName}. */
    public Map<String, StreamPollTask.State> getTaskStates() {
        Map<String, StreamPollTask.State> states = new LinkedHashMap<>();
        tasks.forEach(t -> states.put(t.stream() + "/" + t.consumerName(), t.state()));
        return states;
    }

    RedisStreamsConfiguration configuration() {
        return config;
    }
}
