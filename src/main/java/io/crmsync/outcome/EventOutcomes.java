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
                    .tag("eventType", event.type())
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(Duration.between(event.time(), Instant.now()).abs());
        }
    }

    /** Called by the dead-letter route once the dead-letter entry is durable. */
    public void deadLettered(String origin, String eventId, String eventType, String tenantId, String stream,
            String entryId, long attempts, String reason, String error) {
        records.record(origin, eventId, eventType, tenantId, Outcome.DEADLETTERED, attempts, reason + ": " + error);
        acknowledgments.append(eventId, false, eventType, stream, entryId, Map.of("reason", reason, "error", error));
        count(eventType == null ? "unknown" : eventType, Outcome.DEADLETTERED);
    }

    private void count(String eventType, Outcome outcome) {
        Counter.builder("crm.sync.events")
                .description("Events by type and outcome")
                .tag("eventType", eventType)
                .tag("outcome", outcome.status())
                .register(meters)
                .increment();
    }
}
