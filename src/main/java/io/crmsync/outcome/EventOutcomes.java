package io.crmsync.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventExchange;
import io.crmsync.persistence.Outcome;
import io.crmsync.persistence.ProcessingRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

/**
 * The last step of every event route: its processing record, its acknowledgment, and the counters and latency
 * users alert on. Runs after the write, so a record never claims an effect that is not durable.
 */
public class EventOutcomes {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventOutcomes.class);

    private static final java.util.List<String> HANDLED_FAMILIES = java.util.List.of("user.", "role.", "organization.", "credit.");

    private final ProcessingRecords records;
    private final Acknowledgments acknowledgments;
    private final MeterRegistry meters;

    public EventOutcomes(ProcessingRecords records, Acknowledgments acknowledgments, MeterRegistry meters) {
        this.records = records;
        this.acknowledgments = acknowledgments;
        this.meters = meters;
    }

    public void completed(Exchange exchange) {
        CanonicalEvent event = EventExchange.event(exchange);
        Outcome outcome = exchange.getMessage().getHeader(EventExchange.OUTCOME, Outcome.PROCESSED, Outcome.class);
        long attempts = exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, 1L, Long.class);
        records.record(event.origin(), event.id(), event.type(), event.tenantId(), outcome, attempts, null);
        acknowledgments.append(event.id(), true, event.type(), event.source(), event.position(),
                Map.of("outcome", outcome.status()));
        count(event.type(), outcome);
        if (outcome == Outcome.PROCESSED) {
            Timer.builder("crm.sync.event.latency")
                    .description("Event time to MongoDB write")
                    .tag("eventType", tag(event.type()))
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(Duration.between(event.time(), Instant.now()).abs());
        }
    }

    /** The dead-letter route's processing record, written before the dead-letter entry. */
    public void recordDeadLettered(String origin, String eventId, String eventType, String tenantId, long attempts,
            String reason, String error) {
        records.record(origin, eventId, eventType, tenantId, Outcome.DEADLETTERED, attempts, reason + ": " + error);
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
     * of the families crm-sync handles keep their name (an unknown one of those is dead-lettered before it gets
     * here), any other is "other".
     */
    static String tag(String eventType) {
        for (String family : HANDLED_FAMILIES) {
            if (eventType.startsWith(family)) {
                return eventType;
            }
        }
        return eventType.equals("unknown") ? eventType : "other";
    }

    private void count(String eventType, Outcome outcome) {
        Counter.builder("crm.sync.events")
                .description("Events by type and outcome")
                .tag("eventType", tag(eventType))
                .tag("outcome", outcome.status())
                .register(meters)
                .increment();
    }
}
