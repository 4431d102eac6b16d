package io.crmsync.camel.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.ReconnectingConnection;
import io.crmsync.camel.redisstreams.consumer.Acknowledger;
import io.crmsync.camel.redisstreams.consumer.Acknowledgers;
import io.crmsync.camel.redisstreams.consumer.StreamMetrics;
import io.crmsync.camel.redisstreams.consumer.StreamPollTask;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XPendingArgs;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle of the poll tasks of one endpoint: one {@link StreamPollTask} per stream and consumer thread, sharing an
 * in-flight bound, an acknowledger and a connection for acks and metrics.
 */
public class RedisStreamsConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    /** Exchange property: the stream the exchange was consumed from (the producer ignores it as a target). */
    public static final String SOURCE_STREAM_PROPERTY = "CamelRedisStreamsSourceStream";

    private final RedisStreamsConfiguration config;
    // read by the health check on probe threads while start and stop change it
    private final List<StreamPollTask> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, StreamMetrics> metrics = new ConcurrentHashMap<>();
    // stream/id of every entry between read and completion, so a reclaim never runs an entry twice at once
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private Semaphore permits;
    private ReconnectingConnection shared;
    private Acknowledger acknowledger;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private RedisStreamsConsumerHealthCheck healthCheck;
    private final BridgeFlagCleaner bridgeFlagCleaner = new BridgeFlagCleaner();

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
        List<String> streams = getEndpoint().streamKeys();
        RedisStreamsClient client = getEndpoint().client();
        // acks and samples are quick calls: fail them fast rather than hold the ack flusher for Lettuce's 60 s default
        shared = new ReconnectingConnection(client::connect, Duration.ofSeconds(10));
        // pre-create the groups so a wrong URL, ACL or key type fails the route at start, not at the first poll
        for (String stream : streams) {
            StreamPollTask.createGroup(shared.commands(), stream, config.getGroup(), config.getStartId());
            metrics.put(stream, new StreamMetrics(getEndpoint().meterRegistry(), stream, config.getGroup()));
        }
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        scheduler = executors.newSingleThreadScheduledExecutor(this, "RedisStreamsAcks");
        acknowledger = Acknowledgers.create(config,
                (stream, ids) -> {
                    try {
                        shared.commands().xack(stream, config.getGroup(), ids.toArray(String[]::new));
                    } catch (RuntimeException e) {
                        shared.onError(e);
                        throw e;
                    }
                },
                (stream, ids) -> {
                    metrics.get(stream).acked(ids.size());
                    ids.forEach(id -> inFlight.remove(StreamPollTask.inFlightKey(stream, id)));
                }, scheduler);
        permits = new Semaphore(Math.max(1, config.getMaxInFlight()));
        int threads = Math.max(1, config.getConsumersCount());
        for (String stream : streams) {
            for (int i = 1; i <= threads; i++) {
                // names stay the same across restarts, so a restarted instance finds its own pending entries
                String name = threads == 1 ? config.getConsumerName() : config.getConsumerName() + "-" + i;
                tasks.add(new StreamPollTask(stream, name, config, client::connect, permits, inFlight,
                        this::process, metrics.get(stream)));
            }
        }
        long sampleMillis = Math.max(100, config.getMetricsInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::sampleMetrics, 0, sampleMillis, TimeUnit.MILLISECONDS);
        executor = executors.newFixedThreadPool(this, "RedisStreamsConsumer[" + getEndpoint().getStreams() + "]",
                tasks.size());
        tasks.forEach(executor::submit);
        registerHealthCheck();
        var camel = getEndpoint().getCamelContext();
        bridgeFlagCleaner.start();
        camel.getManagementStrategy().addEventNotifier(bridgeFlagCleaner);
        camel.getCamelContextExtension().setEventNotificationApplicable(true);
        LOG.info("Started {} poll task(s) on {} for group {} via {}", tasks.size(), streams, config.getGroup(),
                client.description());
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

    /** Builds and runs the exchange of one entry; see {@link io.crmsync.camel.redisstreams.consumer.EntryProcessor}. */
    private void process(String stream, String id, Map<String, String> fields, String consumerName, long deliveryCount,
                         Runnable done) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(new LinkedHashMap<>(fields));
            in.setHeader(RedisStreamsConstants.STREAM, stream);
            in.setHeader(RedisStreamsConstants.ENTRY_ID, id);
            in.setHeader(RedisStreamsConstants.GROUP, config.getGroup());
            in.setHeader(RedisStreamsConstants.CONSUMER, consumerName);
            in.setHeader(RedisStreamsConstants.DELIVERY_COUNT, deliveryCount);
            exchange.setProperty(SOURCE_STREAM_PROPERTY, stream);
            exchange.getExchangeExtension().addOnCompletion(
                    new AckOnCompletion(acknowledger, stream, id, config.getGroup(), consumerName,
                            () -> inFlight.remove(StreamPollTask.inFlightKey(stream, id))));
            if (config.getMaxDeliveries() > 0 && deliveryCount > config.getMaxDeliveries()) {
                handToErrorHandler(exchange, stream, id, deliveryCount);
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                releaseExchange(exchange, false);
                done.run();
            });
        } catch (RuntimeException e) {
            // nothing ran, so nothing is acked: the entry stays pending and is delivered again
            LOG.warn("Could not process entry {} of {} / {} / {}", id, stream, config.getGroup(), consumerName, e);
            inFlight.remove(StreamPollTask.inFlightKey(stream, id));
            done.run();
        }
    }

    /**
     * Over the delivery cap the route is not run again: the exchange goes straight to the error handler, the way
     * Camel's BridgeExceptionHandlerToErrorHandler does it, with redeliveries exhausted.
     */
    private void handToErrorHandler(Exchange exchange, String stream, String id, long deliveryCount) {
        MaxDeliveriesExceededException cause = new MaxDeliveriesExceededException(stream, id, deliveryCount,
                config.getMaxDeliveries());
        LOG.warn("Entry {} of {} / {} delivered {} times (max {}); handing it to the error handler", id, stream,
                config.getGroup(), deliveryCount, config.getMaxDeliveries());
        metrics.get(stream).deadLettered();
        exchange.setException(cause);
        exchange.setProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, cause);
        exchange.setProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE, true);
        exchange.setProperty(BridgeFlagCleaner.MARKER, true);
        exchange.getExchangeExtension().setRedeliveryExhausted(true);
    }

    private void sampleMetrics() {
        for (StreamMetrics m : metrics.values()) {
            try {
                m.sample(shared.commands());
            } catch (RuntimeException e) {
                shared.onError(e);
                LOG.debug("Metrics sampling failed: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        tasks.forEach(StreamPollTask::stop);
        Duration timeout = config.getShutdownTimeout();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        for (StreamPollTask task : tasks) {
            // a task may be inside a BLOCK read; it returns within blockTime
            task.awaitStopped(config.getBlockTime().plusSeconds(5));
        }
        if (permits != null) {
            // in-flight exchanges give their permits back when they complete
            int max = Math.max(1, config.getMaxInFlight());
            while (permits.availablePermits() < max && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            if (permits.availablePermits() < max) {
                LOG.warn("{} exchanges still in flight after {}; their entries stay pending and will be redelivered",
                        max - permits.availablePermits(), timeout);
            }
        }
        if (acknowledger != null) {
            acknowledger.close();
        }
        if (config.isDeleteConsumerOnStop() && shared != null) {
            deleteIdleConsumers();
        }
        getEndpoint().getCamelContext().getManagementStrategy().removeEventNotifier(bridgeFlagCleaner);
        bridgeFlagCleaner.stop();
        setHealthCheck(null);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (scheduler != null) {
            executors.shutdownNow(scheduler);
        }
        if (executor != null) {
            executors.shutdownNow(executor);
        }
        metrics.values().forEach(StreamMetrics::close);
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
