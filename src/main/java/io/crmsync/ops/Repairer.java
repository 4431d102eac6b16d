package io.crmsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code repair}: what {@code verify} finds, fixed. For each entity of a stream range whose document or rows differ
 * from the newest event that wrote them, that event is applied again through its route's own store endpoint, which
 * then writes what the event set even where its stamps say it was applied (a row deleted or changed by hand). An
 * event that a newer one superseded is never re-applied: verify does not report it.
 * <p>
 * With {@code relink}, dead letters of a lookup's mismatch (an agent found by email under another uid) are fixed
 * instead: the record found is relinked to the event's identifier, then the dead letter is replayed.
 */
public class Repairer {

    /** One entry re-applied or relinked, or why it could not be. */
    public record Repaired(String entryId, String eventId, String location, String error) {
    }

    public record Report(String stream, int checked, List<Repaired> repaired, List<Repaired> failed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);
    private static final Set<String> REPAIRABLE = Set.of("missing", "older", "differs");

    private final Verifier verifier;
    private final OpsRedis redis;
    private final RedisStreamEntries entries;
    private final HandlerRoutes handlers;
    private final ProducerTemplate producer;
    private final DeadLetterTool deadLetters;

    Repairer(Verifier verifier, OpsRedis redis, RedisStreamEntries entries, HandlerRoutes handlers,
            ProducerTemplate producer, DeadLetterTool deadLetters) {
        this.verifier = verifier;
        this.redis = redis;
        this.entries = entries;
        this.handlers = handlers;
        this.producer = producer;
        this.deadLetters = deadLetters;
    }

    /** Re-applies the newest event of each entity verify reports in the range. */
    public Report repair(String stream, String start, String end, int limit, String actor) {
        Verifier.Report found = verifier.verify(stream, start, end, limit, checked -> { });
        List<Repaired> repaired = new ArrayList<>();
        List<Repaired> failed = new ArrayList<>();
        String handler = handlers.forStream(stream);
        for (Verifier.Finding finding : found.findings()) {
            if (!REPAIRABLE.contains(finding.problem())) {
                failed.add(new Repaired(finding.entryId(), finding.eventId(), finding.location(),
                        "not repairable: " + finding.problem()));
                continue;
            }
            List<StreamMessage<String, String>> message = redis.commands().xrange(stream,
                    Range.create(finding.entryId(), finding.entryId()));
            CanonicalEvent event = entries.toEvent(message.get(0).getBody(), stream, finding.entryId());
            Exchange done = producer.send(handler, exchange -> {
                EventExchange.attach(exchange, event);
                exchange.setProperty(EventExchange.RELINK, true);
            });
            Repaired result = new Repaired(finding.entryId(), event.id(), finding.location(),
                    done.getException() == null ? null : done.getException().getMessage());
            (result.error() == null ? repaired : failed).add(result);
            LOG.info("Repair by {}: entry {} of {} ({}) re-applied to {}{}", actor, finding.entryId(), stream, event.id(),
                    finding.location(), result.error() == null ? "" : ", failed: " + result.error());
        }
        return new Report(stream, found.checked(), repaired, failed);
    }

    /** Relinks the record each dead letter of this mismatch reason found, then replays the dead letter. */
    public Report relink(String reason, int limit, String actor) {
        List<Repaired> repaired = new ArrayList<>();
        List<Repaired> failed = new ArrayList<>();
        List<DeadLetterEntry> parked = deadLetters.list(new DeadLetterFilter(reason, null, null, null, limit));
        for (DeadLetterEntry entry : parked) {
            CanonicalEvent event = DeadLetterTool.event(entries, entry);
            // plan only: the mapping's lookup relinks the record; the replay below writes the event as the route would
            Exchange done = producer.send(handlers.forStream(entry.sourceStream()), exchange -> {
                EventExchange.attach(exchange, event);
                exchange.setProperty(EventExchange.RELINK, true);
                exchange.setProperty(EventExchange.PLAN_ONLY, true);
            });
            if (done.getException() != null) {
                failed.add(new Repaired(entry.id(), event.id(), entry.sourceStream(), done.getException().getMessage()));
                continue;
            }
            DeadLetterTool.ReplayResult replay = deadLetters.replay(List.of(entry), actor);
            repaired.add(new Repaired(entry.id(), event.id(), entry.sourceStream() + "/" + replay.newEntryIds(), null));
            LOG.info("Repair by {}: relinked the record of dead letter {} ({}, event {}) and replayed it", actor,
                    entry.id(), reason, event.id());
        }
        return new Report(null, parked.size(), repaired, failed);
    }
}
