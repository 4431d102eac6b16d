package io.crmsync.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.crmsync.core.deadletter.DeadLetters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.event.RejectReason;
import io.crmsync.sources.debezium.ChangeEvents;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisStreamCommands;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List, inspect and replay the dead-letter stream (CONTRACT.md section 4): a replay puts the original fields back
 * on their source stream and then deletes the dead-letter entry.
 */
public class DeadLetterTool {

    /** What a replay did, or with dryRun would do. */
    public record ReplayResult(boolean dryRun, int matched, int replayed, List<String> newEntryIds, List<String> failures) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTool.class);
    private static final int PAGE = 500;

    /**
     * Dead letters of changes that a replay cannot heal, because the change itself is what is wrong, and what to fix at
     * the source instead. Any other change is sent back through the CDC routes.
     */
    private static final Map<String, String> CHANGES_NO_REPLAY_HEALS = Map.of(
            "ledger-row-deleted", "a row of an append-only ledger table was deleted; correct the balance with a new row",
            "event-id-conflict", "a ledger row's amount or wallet was changed after it was recorded; correct it with a "
                    + "new row",
            "invalid-json", "the connector wrote something that is not JSON; fix its converter",
            "invalid-field", "the connector wrote something that is not a Debezium change event; fix its configuration");

    private final OpsRedis redis;
    private final String stream;
    private final ProducerTemplate changes;

    /** @param changes sends a change's dead letter back through the CDC routes ({@code direct:cdc-replay}) */
    DeadLetterTool(OpsRedis redis, String stream, ProducerTemplate changes) {
        this.redis = redis;
        this.stream = stream;
        this.changes = changes;
    }

    public List<DeadLetterEntry> list(DeadLetterFilter filter) {
        List<DeadLetterEntry> found = new ArrayList<>();
        RedisStreamCommands<String, String> commands = redis.commands();
        String start = "-";
        while (found.size() < filter.limit()) {
            List<StreamMessage<String, String>> page = commands.xrange(stream, Range.create(start, "+"), Limit.from(PAGE));
            for (StreamMessage<String, String> message : page) {
                if (filter.matches(message.getId(), message.getBody()) && found.size() < filter.limit()) {
                    found.add(DeadLetterEntry.of(message.getId(), message.getBody()));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            start = "(" + page.get(page.size() - 1).getId();
        }
        return found;
    }

    /**
     * The original fields, plus what the entry's position gave it when it carried none of its own: {@code eventId =
     * <source stream>/<source id>} and {@code timestamp} = the source entry's time. A replay gets a new position, so
     * without these a movement whose ledger entry was written before it failed could be counted twice, and an old
     * event would take the replay's time and win over newer ones.
     */
    static Map<String, String> withIdentity(DeadLetterEntry entry) {
        Map<String, String> fields = new LinkedHashMap<>(entry.original());
        if (!carries(fields, "eventId")) {
            fields.put("eventId", entry.sourceStream() + "/" + entry.sourceId());
        }
        if (!carries(fields, "timestamp")) {
            fields.put("timestamp", RedisStreamEntries.entryTime(entry.sourceId()).toString());
        }
        return fields;
    }

    /** The event a dead letter holds, as its replay will be read: with its identity and time. */
    static CanonicalEvent event(RedisStreamEntries entries, DeadLetterEntry entry) {
        return entries.toEvent(withIdentity(entry), entry.sourceStream(), entry.sourceId());
    }

    /** A field of that name, or one inside an envelope field's JSON. */
    private static boolean carries(Map<String, String> fields, String name) {
        return fields.containsKey(name) || fields.values().stream().anyMatch(v -> v != null && v.contains("\"" + name + "\""));
    }

    public DeadLetterEntry inspect(String id) {
        List<StreamMessage<String, String>> found = redis.commands().xrange(stream, Range.create(id, id));
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no entry " + id + " in dead-letter stream " + stream);
        }
        return DeadLetterEntry.of(id, found.get(0).getBody());
    }

    /**
     * A change's dead letter, through the CDC routes again: no stream is read for it (the slot and the topic have moved
     * on), so it is applied now, as the same event it was. The dead letter goes once it is applied, or once it was
     * dead-lettered again (with the reason that holds now).
     *
     * @return null once applied; else what to tell the operator, in one line
     */
    private String replayChange(DeadLetterEntry entry, String actor) {
        String advice = CHANGES_NO_REPLAY_HEALS.get(entry.reason());
        if (advice != null) {
            return "not replayed (" + entry.reason() + "): " + advice;
        }
        Exchange done = changes.send("direct:cdc-replay", exchange -> {
            exchange.getMessage().setBody(entry.original());
            exchange.getMessage().setHeader(ChangeEvents.REPLAY, entry.sourceStream());
            // where a dead letter of the replay says it came from: the change's source and position, as before
            new Provenance(entry.sourceStream(), entry.sourceId()).attachTo(exchange);
        });
        if (done.getException() != null) {
            // MongoDB or Redis did not answer in time: the dead letter stays for another replay
            return "not replayed, try again: " + done.getException().getMessage();
        }
        redis.commands().xdel(stream, entry.id());
        RejectReason again = done.getProperty(DeadLetters.REASON, RejectReason.class);
        if (again != null) {
            LOG.info("Replayed dead-letter entry {} ({}) through the CDC routes, by {}: dead-lettered again as {}",
                    entry.id(), entry.reason(), actor, again.code());
            return "replayed through the CDC routes and dead-lettered again: " + again.code();
        }
        LOG.info("Replayed dead-letter entry {} ({}) of {} at {} through the CDC routes, by {}", entry.id(), entry.reason(),
                entry.sourceStream(), entry.sourceId(), actor);
        return null;
    }

    /**
     * @param actor who asked, for the log line (a user name, a remote address)
     */
    public ReplayResult replay(DeadLetterFilter filter, boolean dryRun, String actor) {
        List<DeadLetterEntry> entries = list(filter);
        ReplayResult result = dryRun ? new ReplayResult(true, entries.size(), 0, List.of(), List.of()) : replay(entries, actor);
        LOG.info("Dead-letter replay by {}: filter {}, dryRun {}, matched {}, replayed {}", actor, filter, dryRun,
                entries.size(), result.replayed());
        return result;
    }

    /** Puts these entries back on their source streams, each then deleted from the dead-letter stream. */
    ReplayResult replay(List<DeadLetterEntry> entries, String actor) {
        return replay(entries, actor, DeadLetterTool::withIdentity);
    }

    /**
     * The parking lot's replay: each entry also carries when it first failed, so its next dead letter keeps the start
     * of its window. An operator's replay does not, so the window starts again after a fix.
     */
    ReplayResult redrive(List<DeadLetterEntry> entries, String actor) {
        return replay(entries, actor, entry -> {
            Map<String, String> fields = withIdentity(entry);
            fields.put(DeadLetters.FIRST_FAILED_AT, entry.firstFailedAt());
            return fields;
        });
    }

    private ReplayResult replay(List<DeadLetterEntry> entries, String actor,
            java.util.function.Function<DeadLetterEntry, Map<String, String>> fieldsOf) {
        List<String> newIds = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        RedisStreamCommands<String, String> commands = redis.commands();
        for (DeadLetterEntry entry : entries) {
            if (entry.sourceStream() == null || entry.original().isEmpty()) {
                failures.add(entry.id() + ": no source stream or no original fields");
                continue;
            }
            if ("cdc".equals(entry.sourceKind())) {
                String failure = replayChange(entry, actor);
                if (failure != null) {
                    failures.add(entry.id() + ": " + failure);
                } else {
                    newIds.add(entry.sourceStream() + "/" + entry.sourceId());
                }
                continue;
            }
            // XADD first: if the delete then fails, the entry is replayed and still listed, never lost
            String newId = commands.xadd(entry.sourceStream(), fieldsOf.apply(entry));
            commands.xdel(stream, entry.id());
            newIds.add(newId);
            LOG.info("Replayed dead-letter entry {} ({}) to stream {} as {}, by {}", entry.id(), entry.reason(),
                    entry.sourceStream(), newId, actor);
        }
        return new ReplayResult(false, entries.size(), newIds.size(), newIds, failures);
    }
}
