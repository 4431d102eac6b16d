package io.crmsync.sources.redis;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.core.deadletter.DeadLetters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventParser;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.event.RejectReason;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A Redis stream entry, as the redis-streams consumer delivers it, into a canonical event.
 */
public class RedisStreamEntries implements Processor {

    // per-tenant credit streams: the key itself names the only tenant its events may write
    private static final String TENANT_STREAM_PREFIX = "credit-events:";

    private final EventParser parser;

    public RedisStreamEntries(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public void process(Exchange exchange) {
        Provenance at = RedisProvenance.of(exchange);
        Map<String, String> fields = fields(exchange);
        String firstFailedAt = fields.get(DeadLetters.FIRST_FAILED_AT);
        if (firstFailedAt != null) {
            // set before parsing, so a re-driven entry that no longer parses keeps its window too
            exchange.setProperty(EventExchange.FIRST_FAILED_AT, firstFailedAt);
        }
        EventExchange.attach(exchange, toEvent(fields, at.source(), at.position()));
    }

    /** One entry as the routes see it; also what {@code verify} checks an entry against. */
    public CanonicalEvent toEvent(Map<String, String> fields, String stream, String entryId) {
        if (fields.containsKey(DeadLetters.FIRST_FAILED_AT)) {
            fields = new LinkedHashMap<>(fields); // a re-driven entry: the parking lot's field is not the event's
            fields.remove(DeadLetters.FIRST_FAILED_AT);
        }
        CanonicalEvent event = parser.parse(fields, stream, entryId, entryTime(entryId));
        if (stream.startsWith(TENANT_STREAM_PREFIX)
                && !stream.substring(TENANT_STREAM_PREFIX.length()).equals(event.tenantId())) {
            throw new EventRejectedException(RejectReason.TENANT_MISMATCH,
                    "event " + event.id() + " on " + stream + " names another tenant");
        }
        return event;
    }

    private static Map<String, String> fields(Exchange exchange) {
        Map<?, ?> body = exchange.getMessage().getBody(Map.class);
        if (body == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "the entry has no fields");
        }
        return EventParser.asText(body);
    }

    /** An entry id's first part is the millisecond Redis appended it. */
    public static Instant entryTime(String entryId) {
        int dash = entryId.indexOf('-');
        return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash)));
    }
}
