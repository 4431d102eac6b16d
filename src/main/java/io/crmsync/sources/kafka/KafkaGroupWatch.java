package io.crmsync.sources.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Kafka source's consumer group, so the loyalty team's incident (hours of rebalancing, nobody noticing)
 * is loud: it counts every rebalance of this instance's consumer (as camel-kafka's {@code subscribeAdapter}, wrapping
 * Camel's own rebalance listener), and reads the group's lag (end offsets minus committed offsets) every
 * {@code checkInterval}.
 */
public class KafkaGroupWatch implements SubscribeAdapter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaGroupWatch.class);

    private final KafkaProperties properties;
    private final Clock clock;
    private final Counter rebalances;
    private final Deque<Instant> recent = new ConcurrentLinkedDeque<>();
    private final AtomicLong lag = new AtomicLong();
    private volatile String error;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "crm-kafka-group-watch");
        thread.setDaemon(true);
        return thread;
    });
    private Admin admin;

    public KafkaGroupWatch(KafkaProperties properties, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.rebalances = Counter.builder("crm.cdc.kafka.rebalances").tag("group", properties.group())
                .description("Partitions revoked from this instance's consumer by a rebalance").register(meters);
        Gauge.builder("crm.cdc.kafka.lag", lag, AtomicLong::get).tag("group", properties.group())
                .description("Messages of the CDC topics not yet committed by the group").register(meters);
        if (properties.enabled()) {
            // only where Kafka is configured: elsewhere a 0 would read as an outage
            Gauge.builder("crm.cdc.kafka.up", () -> error == null ? 1 : 0).tag("group", properties.group())
                    .description("1 while the Kafka brokers answer the group's lag read").register(meters);
        }
    }

    public void start() {
        if (properties.enabled()) {
            admin = Admin.create(Map.of("bootstrap.servers", properties.bootstrapServers()));
            scheduler.scheduleWithFixedDelay(this::readLag, 0, properties.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camel, TopicInfo topics) {
        new DefaultSubscribeAdapter().subscribe(consumer, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    rebalances.increment();
                    recent.add(clock.instant());
                    LOG.info("Kafka group {} rebalanced: partitions {} revoked from this consumer", properties.group(),
                            partitions);
                }
                camel.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                camel.onPartitionsAssigned(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                camel.onPartitionsLost(partitions);
            }
        }, topics);
    }

    /** Why the group counts as unhealthy, or null. */
    public String failure() {
        Instant since = clock.instant().minus(properties.rebalanceWindow());
        recent.removeIf(at -> at.isBefore(since));
        if (recent.size() >= properties.rebalanceThreshold()) {
            return "group " + properties.group() + " rebalanced " + recent.size() + " times in the last "
                    + properties.rebalanceWindow();
        }
        if (lag.get() > properties.lagThreshold()) {
            return "group " + properties.group() + " is " + lag.get() + " messages behind (crm.kafka.lag-threshold "
                    + properties.lagThreshold() + ")";
        }
        return error;
    }

    public long lag() {
        return lag.get();
    }

    void readLag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(properties.group())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<String> topics = List.of(properties.topics().split(","));
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS)
                    .values().stream().flatMap(topic -> topic.partitions().stream()
                            .map(p -> new TopicPartition(topic.name(), p.partition())))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            long behind = 0;
            for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                behind += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            lag.set(behind);
            if (error != null) {
                LOG.info("Kafka brokers {} answer group {} again", properties.bootstrapServers(), properties.group());
            }
            error = null;
        } catch (Exception e) {
            if (error == null) {
                LOG.warn("Kafka brokers {} do not answer group {}: {}; nothing is read from topics {} meanwhile",
                        properties.bootstrapServers(), properties.group(), e.getMessage(), properties.topics());
            }
            error = "cannot read the lag of group " + properties.group() + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (admin != null) {
            admin.close();
        }
    }
}
