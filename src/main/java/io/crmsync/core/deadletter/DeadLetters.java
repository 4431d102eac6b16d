package io.crmsync.core.deadletter;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventParser;
import io.crmsync.core.event.EventTypes;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.outcome.EventOutcomes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a dead-letter entry from the original message (CONTRACT.md section 4), and records it once written.
 * Called by the dead-letter route, which the routes' dead-letter channel sends to with the original message.
 */
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Exchange property with the reason code, read again by {@link #written(Exchange)}. */
    public static final String REASON = "crmDeadLetterReason";
    /**
     * The field a parking-lot re-drive adds to the entry it puts back: when the event was first dead-lettered for a
     * healable reason, so its next dead letter carries the same start of its window. Not part of the event.
     */
    public static final String FIRST_FAILED_AT = "dlq.firstFailedAt";
    private static final Provenance UNKNOWN = new Provenance(null, null);

    private final EventOutcomes outcomes;
    private final FailureKinds kinds;

    public DeadLetters(EventOutcomes outcomes, FailureKinds kinds) {
        this.outcomes = outcomes;
        this.kinds = kinds;
    }

    /** Replaces the body with the dead-letter entry's fields: every original field unchanged, plus {@code dlq.*}. */
    public void toEntry(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        Provenance from = provenance(exchange);
        String stream = from.source();
        String entryId = from.position();
        if (kinds.isInfrastructure(failure)) {
            // fail the exchange: the dead-letter channel then leaves the entry pending for a later delivery
            throw new KeptPendingException(stream, entryId, failure);
        }
        RejectReason reason = kinds.reason(failure);
        Map<String, Object> entry = new LinkedHashMap<>(originalFields(exchange));
        entry.put("dlq.sourceStream", stream);
        entry.put("dlq.sourceId", entryId);
        entry.put("dlq.group", from.group());
        entry.put("dlq.consumer", from.consumer());
        entry.put("dlq.routeId", exchange.getFromRouteId());
        entry.put("dlq.sourceKind", exchange.getProperty(EventExchange.SOURCE_KIND, String.class));
        entry.put("dlq.reason", reason.code());
        // the type as the routes saw it (normalised, stream overrides applied), for filtering and replay
        CanonicalEvent parsed = EventExchange.event(exchange);
        entry.put("dlq.eventType", parsed == null ? null : parsed.type());
        entry.put("dlq.error", Redaction.error(failure));
        entry.put("dlq.deliveryCount", String.valueOf(from.attempts()));
        entry.put("dlq.failedAt", Instant.now().toString());
        entry.put(FIRST_FAILED_AT, exchange.getProperty(EventExchange.FIRST_FAILED_AT, String.class));
        entry.values().removeIf(java.util.Objects::isNull);
        exchange.setProperty(REASON, reason);
        message.setBody(entry);
        // a change read from the slot or a topic has no consumer group of a stream
        String reader = entry.get("dlq.group") == null ? ""
                : " (group " + entry.get("dlq.group") + ", consumer " + entry.get("dlq.consumer") + ")";
        LOG.warn("Dead-lettering entry {} of {}{}: {} - {}", entryId, stream, reader, reason.code(), entry.get("dlq.error"));
    }

    /**
     * Before the dead-letter entry is written: its processing record. It is idempotent, so if MongoDB is down this
     * fails the exchange before anything is written, and a later delivery does it all again without a duplicate
     * dead-letter entry.
     */
    public void recorded(Exchange exchange) {
        Failed failed = failed(exchange);
        outcomes.recordDeadLettered(failed.origin(), failed.eventId(), failed.eventType(), failed.tenantId(),
                exchange.getProperty(EventExchange.ENTITY_KEY, String.class), failed.attempts(), failed.reason().code(),
                failed.error());
    }

    /** After the dead-letter entry is durable: the failed acknowledgment, which may no longer fail the exchange. */
    public void written(Exchange exchange) {
        Failed failed = failed(exchange);
        outcomes.acknowledgeDeadLettered(failed.eventId(), failed.eventType(), failed.stream(), failed.entryId(),
                failed.reason().code(), failed.error());
    }

    /**
     * Where the failed message was read: its event's source and position once parsed, else what its source adapter
     * said before parsing (a message that never became an event), with the group, consumer and delivery count.
     */
    private static Provenance provenance(Exchange exchange) {
        Provenance from = Provenance.of(exchange);
        CanonicalEvent event = EventExchange.event(exchange);
        if (event != null) {
            return from != null ? new Provenance(event.source(), event.position(), from.group(), from.consumer(),
                    from.attempts()) : new Provenance(event.source(), event.position());
        }
        return from != null ? from : UNKNOWN;
    }

    private record Failed(String stream, String entryId, String eventId, String eventType, String tenantId,
            long attempts, RejectReason reason, String error) {
        String origin() {
            return stream + "/" + entryId;
        }
    }

    private static Failed failed(Exchange exchange) {
        Map<?, ?> entry = exchange.getMessage().getBody(Map.class);
        RejectReason reason = exchange.getProperty(REASON, RejectReason.class);
        String stream = (String) entry.get("dlq.sourceStream");
        String entryId = (String) entry.get("dlq.sourceId");
        CanonicalEvent event = EventExchange.event(exchange);
        String eventId = event != null ? event.id() : text(entry.get("eventId"), stream + "/" + entryId);
        // the type as the dead-letter tools show it, parsed or not; a type outside the configured families is tagged
        // "other" in the metrics, so a publisher's text cannot multiply the series
        String eventType = RejectReason.UNKNOWN_EVENT_TYPE.equals(reason) ? null
                : event != null ? event.type() : EventTypes.asSent(EventParser.asText(entry));
        String tenantId = event != null ? event.tenantId() : text(entry.get("tenantId"), null);
        return new Failed(stream, entryId, eventId, eventType, tenantId, Long.parseLong((String) entry.get("dlq.deliveryCount")),
                reason, (String) entry.get("dlq.error"));
    }

    /**
     * The entry's fields as read. Once parsed, the event holds them verbatim; before that the dead-letter channel's
     * original message does. (For a failure in a direct: handler route, Camel's "original message" is the one
     * that entered that route, which is the parsed event, not the entry.)
     */
    private static Map<String, Object> originalFields(Exchange exchange) {
        Map<String, Object> fields = new LinkedHashMap<>();
        CanonicalEvent event = EventExchange.event(exchange);
        Map<?, ?> original = event != null ? event.fields()
                : exchange.getProperty(EventExchange.RAW_FIELDS) instanceof Map<?, ?> raw ? raw
                : exchange.getMessage().getBody(Map.class);
        if (original != null) {
            original.forEach((k, v) -> fields.put(String.valueOf(k), v));
        }
        return fields;
    }

    private static String text(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }
}
