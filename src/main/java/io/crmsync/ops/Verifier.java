package io.crmsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import com.mongodb.client.model.Filters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.store.PlannedWrite;
import io.crmsync.core.write.Verdict;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.crmsync.stores.mongodb.Collections;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.bson.Document;

/**
 * {@code verify}: for a range of a stream, is each entry reflected in its store? Each entry is parsed and mapped
 * exactly as its route does it (the route's own handler route answers which write it asks for), then the write is
 * checked by the store that would have written it. Reports the entries whose document is missing or holds older values.
 */
public class Verifier {

    /** One entry that is not reflected, and why. */
    public record Finding(String entryId, String eventId, String eventType, String problem, String location, List<String> fields) {
    }

    public record Report(String stream, String start, String end, int checked, int upToDate, int deadLettered,
            int notApplicable, List<Finding> findings) {
    }

    private static final int PAGE = 500;

    private final OpsRedis redis;
    private final RedisStreamEntries entries;
    private final HandlerRoutes handlers;
    private final ProducerTemplate producer;
    private final Collections collections;

    Verifier(OpsRedis redis, RedisStreamEntries entries, HandlerRoutes handlers, ProducerTemplate producer,
            Collections collections) {
        this.redis = redis;
        this.entries = entries;
        this.handlers = handlers;
        this.producer = producer;
        this.collections = collections;
    }

    /** @param progress told the running count every page, for a long range */
    public Report verify(String stream, String start, String end, int limit, IntConsumer progress) {
        String handler = handlers.forStream(stream);
        List<Finding> findings = new ArrayList<>();
        int checked = 0, upToDate = 0, deadLettered = 0, notApplicable = 0;
        String from = start;
        while (checked < limit) {
            List<StreamMessage<String, String>> page = redis.commands().xrange(stream, Range.create(from, end),
                    Limit.from(Math.min(PAGE, limit - checked)));
            for (StreamMessage<String, String> message : page) {
                checked++;
                Finding finding = check(stream, handler, message);
                if (finding == null) {
                    upToDate++;
                } else if (finding.problem().equals("deadlettered")) {
                    deadLettered++;
                } else if (finding.problem().equals("not-applicable")) {
                    notApplicable++;
                } else {
                    findings.add(finding);
                }
            }
            progress.accept(checked);
            if (page.size() < PAGE) {
                break;
            }
            from = "(" + page.get(page.size() - 1).getId();
        }
        return new Report(stream, start, end, checked, upToDate, deadLettered, notApplicable, findings);
    }

    private Finding check(String stream, String handler, StreamMessage<String, String> message) {
        String id = message.getId();
        CanonicalEvent event;
        try {
            event = entries.toEvent(message.getBody(), stream, id);
        } catch (EventRejectedException e) {
            return rejected(stream, id, null, null, e);
        }
        // the handler route's store endpoint only maps: the write it would make comes back as the body
        Exchange mapped = producer.send(handler, exchange -> {
            EventExchange.attach(exchange, event);
            exchange.setProperty(EventExchange.PLAN_ONLY, true);
        });
        if (mapped.getException() instanceof EventRejectedException e) {
            return rejected(stream, id, event.id(), event.type(), e);
        }
        if (mapped.getException() != null) {
            return new Finding(id, event.id(), event.type(), "cannot-map: " + mapped.getException().getMessage(), null, List.of());
        }
        Object planned = mapped.getMessage().getBody();
        Verdict verdict;
        try {
            // each store checks its own writes: the planned write carries its store's check
            if (!(planned instanceof PlannedWrite write)) {
                return new Finding(id, event.id(), event.type(), "cannot-map: route " + handler + " ends in no store "
                        + "endpoint", null, List.of());
            }
            verdict = write.verify();
        } catch (EventRejectedException e) {
            // the store refused it (a credit whose fold would overflow its balance): fine when dead-lettered
            return rejected(stream, id, event.id(), event.type(), e);
        }
        return switch (verdict.state()) {
            case UP_TO_DATE -> null;
            case NOT_APPLICABLE -> new Finding(id, event.id(), event.type(), "not-applicable", null, List.of());
            case MISSING -> new Finding(id, event.id(), event.type(), "missing", verdict.location(), List.of());
            case OLDER -> new Finding(id, event.id(), event.type(), "older", verdict.location(), verdict.fields());
            case DISAGREES -> new Finding(id, event.id(), event.type(), "ledger-disagrees", verdict.location(), verdict.fields());
            case DIFFERS -> new Finding(id, event.id(), event.type(), "differs", verdict.location(), verdict.fields());
        };
    }

    /** An entry the routes refuse is fine when it was dead-lettered, a problem when it was not. */
    private Finding rejected(String stream, String id, String eventId, String type, EventRejectedException e) {
        Document record = collections.get("eventProcessingRecords").find(Filters.eq("_id", stream + "/" + id)).first();
        boolean deadLettered = record != null && "deadlettered".equals(record.getString("status"));
        return new Finding(id, eventId, type, deadLettered ? "deadlettered" : "rejected-not-deadlettered: " + e.reason().code(),
                null, List.of());
    }
}
