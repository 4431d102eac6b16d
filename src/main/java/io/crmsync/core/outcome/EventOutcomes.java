package io.crmsync.core.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.outcome.OutcomeRecord;
import io.crmsync.core.outcome.OutcomeRecords;
import io.crmsync.core.write.GroupCommit;
import io.crmsync.core.write.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

/**
 * The last step of every event route: its processing record, its acknowledgment, and the counters and latency
 * users alert on. Runs after the write, so a record never claims an effect that is not durable.
 */
public class EventOutcomes implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventOutcomes.class);


    /** One completed event, queued for the next batch of records and acknowledgments. */
    private record Completed(CanonicalEvent event, String entityKey, String target, Outcome outcome, long attempts,
            String reason) {
    }

    private final OutcomeRecords records;
    private final Acknowledgments acknowledgments;
    private final MeterRegistry meters;
    private final GroupCommit<Completed, Void> commits;
    // looked up once per tag: a registry lookup per event showed in profiles
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final List<String> taggedTypes;
    private static final int MAX_TAGS = 200;
    private final java.util.Set<String> tags = ConcurrentHashMap.newKeySet();

    /** @param taggedTypes prefixes of the event types that get a metric tag of their own (crm.metrics) */
    public EventOutcomes(OutcomeRecords records, Acknowledgments acknowledgments, MeterRegistry meters, int maxBatch,
            Executor completions, List<String> taggedTypes) {
        this.taggedTypes = List.copyOf(taggedTypes);
        this.records = records;
        this.acknowledgments = acknowledgments;
        this.meters = meters;
        this.commits = new GroupCommit<>("crm-sync-outcomes", maxBatch, this::write, completions);
    }

    /**
     * Records the exchange's event and appends its acknowledgment, batched with other exchanges' (see
     * {@link GroupCommit}); the entry is acked once the returned stage completes.
     */
    public CompletionStage<Void> completed(Exchange exchange) {
        CanonicalEvent event = EventExchange.event(exchange);
        Outcome outcome = exchange.getMessage().getHeader(EventExchange.OUTCOME, Outcome.PROCESSED, Outcome.class);
        Provenance provenance = Provenance.of(exchange);
        long attempts = provenance == null ? 1 : provenance.attempts();
        String reason = exchange.getMessage().getHeader(EventExchange.OUTCOME_REASON, String.class);
        String entityKey = exchange.getProperty(EventExchange.ENTITY_KEY, String.class);
        String target = exchange.getProperty(EventExchange.TARGET, String.class);
        return commits.submit(new Completed(event, entityKey, target, outcome, attempts, reason), ignored -> {
            count(event.type(), outcome);
            if (outcome == Outcome.PROCESSED) {
                latencies.computeIfAbsent(tag(event.type()), type -> Timer.builder("crm.sync.event.latency")
                                .description("Event time to MongoDB write")
                                .tag("eventType", type)
                                .publishPercentileHistogram()
                                .register(meters))
                        .record(Duration.between(event.time(), Instant.now()).abs());
            }
        });
    }

    private void write(List<GroupCommit.Job<Completed, Void>> batch) {
        List<OutcomeRecord> entries = new ArrayList<>(batch.size());
        List<Map<String, String>> acks = new ArrayList<>(batch.size());
        for (GroupCommit.Job<Completed, Void> job : batch) {
            CanonicalEvent event = job.item().event();
            Outcome outcome = job.item().outcome();
            entries.add(new OutcomeRecord(event.origin(), event.id(), event.type(), event.tenantId(),
                    job.item().entityKey(), outcome, job.item().attempts(), null, job.item().reason(), job.item().target()));
            if (acknowledgments.isEnabled()) {
                acks.add(acknowledgments.entry(event.id(), true, event.type(), event.source(), event.position(),
                        Map.of("outcome", outcome.status())));
            }
        }
        // the acknowledgments go out alongside the records, so a batch waits for one round trip instead of two. Both
        // precede the XACK; if the records fail, the batch is delivered again and its acknowledgments appended again,
        // as after a crash between the two (acknowledgments are at least once)
        CompletableFuture<?> appended = acknowledgments.appendAll(acks);
        records.recordAll(entries);
        try {
            appended.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        batch.forEach(job -> job.complete(null));
    }

    @Override
    public void close() {
        commits.close();
    }

    /** The dead-letter route's processing record, written before the dead-letter entry. */
    public void recordDeadLettered(String origin, String eventId, String eventType, String tenantId, String entityKey,
            long attempts, String reason, String error) {
        records.recordAll(java.util.List.of(new OutcomeRecord(origin, eventId, eventType, tenantId, entityKey,
                Outcome.DEADLETTERED, attempts, reason + ": " + error, null, null)));
    }

    /**
     * After the dead-letter entry is durable: its failed acknowledgment and the count. Best effort: failing the
     * exchange now would leave the entry pending and dead-letter it again at its next delivery.
     */
    public void acknowledgeDeadLettered(String eventId, String eventType, String stream, String entryId, String reason,
            String error) {
        count(eventType == null ? "unknown" : eventType, Outcome.DEADLETTERED);
        try {
            acknowledgments.append(eventId, false, eventType, stream, entryId, Map.of("reason", reason, "error", error));
        } catch (RuntimeException e) {
            meters.counter("crm.sync.acknowledgments.failed").increment();
            LOG.warn("Entry {} of {} is dead-lettered, but its acknowledgment could not be appended: {}", entryId, stream,
                    e.toString());
        }
    }

    /**
     * A metric tag must have few values, and an inter-app event's type is whatever another application wrote: types
     * of the configured families keep their name, any other is "other".
     */
    private String tag(String eventType) {
        for (String family : taggedTypes) {
            // a family's types are few; past that many, whatever a publisher invents under its prefix is "other"
            if (eventType.startsWith(family) && (tags.contains(eventType) || tags.size() < MAX_TAGS && tags.add(eventType))) {
                return eventType;
            }
        }
        return eventType.equals("unknown") ? eventType : "other";
    }

    private void count(String eventType, Outcome outcome) {
        counters.computeIfAbsent(tag(eventType) + " " + outcome.status(), key -> Counter.builder("crm.sync.events")
                        .description("Events by type and outcome")
                        .tag("eventType", tag(eventType))
                        .tag("outcome", outcome.status())
                        .register(meters))
                .increment();
    }
}
