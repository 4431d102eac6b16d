package io.crmsync.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.camel.redisstreams.client.GroupInfo;
import io.crmsync.core.deadletter.DeadLetters;
import io.crmsync.core.deadletter.Redaction;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.event.RejectReason;
import io.crmsync.sources.debezium.ChangeEvents;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisStreamCommands;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List, inspect and replay the dead-letter stream (CONTRACT.md section 4): a replay puts the original fields back
 * on their source stream and then deletes the dead-letter entry; a change's goes back through the CDC routes. A replay
 * that cannot help (a change no replay makes an event of, a fact of its source, a stream no group reads) is refused
 * with one line saying what to fix, and the dead letter stays; a dry run reports the same refusals.
 */
public class DeadLetterTool {

    /**
     * What a replay did, or with dryRun would do: {@code replayed} then counts the entries it would send, and
     * {@code failures} holds each refusal, one line per entry.
     */
    public record ReplayResult(boolean dryRun, int matched, int replayed, List<String> newEntryIds, List<String> failures) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTool.class);
    private static final int PAGE = 500;

    /**
     * Reasons a change is dead-lettered for that are facts of its source, which no replay changes, and what to fix at
     * the source instead. Any other reason may come from a mapping or the store, which a fix heals.
     */
    private static final Map<String, String> SOURCE_FACTS = Map.of(
            "ledger-row-deleted", "a row of an append-only ledger table was deleted; correct the balance with a new row",
            "event-id-conflict", "a ledger row's amount or wallet was changed after it was recorded; correct it with a "
                    + "new row");

    /**
     * What to fix at the source when a change's dead letter does not make an event again (ChangeEvents says which): the
     * change itself is what is wrong, so every replay of it would fail the same way.
     */
    private static final Map<String, String> NOT_A_CHANGE = Map.of(
            "invalid-json", "the connector wrote something that is not JSON; fix its converter",
            "invalid-field", "the connector wrote something that is not a Debezium change event; fix its configuration",
            "missing-field", "the change itself lacks it, so no replay can apply it; fix the row at the source (its "
                    + "tenant column) or the connector, and the row's next change applies");

    private final OpsRedis redis;
    private final String stream;
    private final ProducerTemplate changes;
    private final ChangeEvents changeEvents;
    private final Set<String> changeTopics;
    private final StreamCatalog catalog;

    /**
     * @param changes      sends a change's dead letter back through the CDC routes ({@code direct:cdc-replay})
     * @param changeEvents makes a change's event from its dead letter, as the replay will: checked before sending
     * @param changeTopics the Kafka topics of change events ({@code crm.kafka.topics}): a dead letter naming one as its
     *                     source is a change, even without {@code dlq.sourceKind}
     * @param catalog      which group the routes read each stream with, so a replay to a stream nobody reads is refused
     */
    DeadLetterTool(OpsRedis redis, String stream, ProducerTemplate changes, ChangeEvents changeEvents,
            Set<String> changeTopics, StreamCatalog catalog) {
        this.redis = redis;
        this.stream = stream;
        this.changes = changes;
        this.changeEvents = changeEvents;
        this.changeTopics = Set.copyOf(changeTopics);
        this.catalog = catalog;
    }

    /** A tool that lists and inspects only: it has no way to the CDC routes, so it must not replay. */
    static DeadLetterTool reading(OpsRedis redis, String stream) {
        return new DeadLetterTool(redis, stream, null, null, Set.of(), null);
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
     * Whether a dead letter holds a change event: its source kind says so (written since dead letters carry it), or
     * its source is the slot ({@code debezium:<slot>}) or a topic of change events. Its source is then no stream:
     * an XADD under that name would put the change where nothing reads it.
     */
    boolean isChange(DeadLetterEntry entry) {
        return "cdc".equals(entry.sourceKind()) || entry.sourceStream().startsWith(ChangeEvents.SLOT_SOURCE)
                || changeTopics.contains(entry.sourceStream());
    }

    /**
     * Why a replay of this entry cannot help, in one line; null when it may. Only reads (a dry run asks it too): a
     * change must make an event again and not be a fact of its source; a stream entry's stream must be read by a group.
     *
     * @param groups what was found per stream, kept across one replay's entries
     */
    private String refusal(DeadLetterEntry entry, Map<String, String> groups) {
        if (entry.sourceStream() == null || entry.original().isEmpty()) {
            return "no source stream or no original fields";
        }
        if (isChange(entry)) {
            String fact = SOURCE_FACTS.get(entry.reason());
            if (fact != null) {
                return "not replayed (" + entry.reason() + "): " + fact;
            }
            try {
                changeEvents.replayed(entry.original(), entry.sourceStream(), entry.sourceId());
                return null;
            } catch (EventRejectedException e) {
                return "not replayed (" + e.reason().code() + "): " + oneLine(e.getMessage()) + "; "
                        + NOT_A_CHANGE.getOrDefault(e.reason().code(), "fix the change at its source");
            }
        }
        return groups.computeIfAbsent(entry.sourceStream(), this::unread);
    }

    /**
     * Null when a group reads the stream: the group the routes read it with, or any group where no route names one
     * (a stream this instance does not consume, read by another deployment). Else why a replay would not be read.
     */
    private String unread(String source) {
        String group = catalog.consumed().stream().filter(pair -> pair.stream().equals(source))
                .map(StreamCatalog.StreamGroup::group).findFirst().orElse(null);
        boolean read;
        if (group != null) {
            read = GroupInfo.read(redis.commands(), source, group, 1) != null;
        } else {
            try {
                read = !redis.commands().xinfoGroups(source).isEmpty();
            } catch (RedisCommandExecutionException e) {
                read = false; // ERR no such key
            }
        }
        return read ? null : "not replayed: no consumer group " + (group == null ? "" : group + " ") + "reads stream "
                + source + "; nothing would read the replay";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * A change's dead letter, through the CDC routes again: no stream is read for it (the slot and the topic have moved
     * on), so it is applied now, as the same event it was. The dead letter goes once it is applied, or once it was
     * dead-lettered again (with the reason that holds now), which is reported as a failure with what to fix.
     *
     * @param firstFailedAt when the change was first dead-lettered, for the parking lot's re-drives (its next dead
     *                      letter keeps the start of its window); null for an operator's replay
     * @return null once applied; else what to tell the operator, in one line
     */
    private String replayChange(DeadLetterEntry entry, String actor, String firstFailedAt) {
        Exchange done = changes.send("direct:cdc-replay", exchange -> {
            exchange.getMessage().setBody(entry.original());
            exchange.getMessage().setHeader(ChangeEvents.REPLAY, entry.sourceStream());
            // where a dead letter of the replay says it came from: the change's source and position, as before
            new Provenance(entry.sourceStream(), entry.sourceId()).attachTo(exchange);
            if (firstFailedAt != null) {
                exchange.setProperty(EventExchange.FIRST_FAILED_AT, firstFailedAt);
            }
        });
        if (done.getException() != null) {
            // MongoDB or Redis did not answer in time: the dead letter stays for another replay
            return "not replayed, try again: " + oneLine(done.getException().getMessage());
        }
        redis.commands().xdel(stream, entry.id());
        RejectReason again = done.getProperty(DeadLetters.REASON, RejectReason.class);
        if (again != null) {
            String newId = done.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
            LOG.info("Replayed dead-letter entry {} ({}) through the CDC routes, by {}: dead-lettered again as {} ({})",
                    entry.id(), entry.reason(), actor, newId, again.code());
            return "replayed through the CDC routes and dead-lettered again" + (newId == null ? "" : " as " + newId)
                    + " (" + again.code() + "): " + adviceAgain(entry, again, done);
        }
        LOG.info("Replayed dead-letter entry {} ({}) of {} at {} through the CDC routes, by {}", entry.id(), entry.reason(),
                entry.sourceStream(), entry.sourceId(), actor);
        return null;
    }

    /**
     * What to fix for a change dead-lettered again, decided by what the event is: a delete naming no tenant, a row whose
     * key another tenant's document holds, a fact of the source; else the error as the new dead letter has it.
     */
    private String adviceAgain(DeadLetterEntry entry, RejectReason again, Exchange done) {
        String fact = SOURCE_FACTS.get(again.code());
        if (fact != null) {
            return fact;
        }
        CanonicalEvent change = changeEvents.replayed(entry.original(), entry.sourceStream(), entry.sourceId());
        String table = change.metadata().get("schema") + "." + change.metadata().get("table");
        if (change.tenantId() == null && RejectReason.MISSING_FIELD.equals(again)) {
            return "a delete of " + table + " names no tenant and no document is stored under its key " + change.entityId()
                    + "; set REPLICA IDENTITY FULL at the source (ALTER TABLE " + table + " REPLICA IDENTITY FULL) so "
                    + "deletes carry their tenant";
        }
        if (RejectReason.TENANT_MISMATCH.equals(again)) {
            return "the row " + change.entityId() + " of " + table + " names tenant " + change.tenantId() + ", and a document "
                    + "of another tenant is stored under its key; correct the row's tenant column at the source, or that "
                    + "document, then replay";
        }
        Throwable failure = done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return failure == null ? "see the new dead letter's dlq.error" : Redaction.rootCause(failure);
    }

    /**
     * @param actor who asked, for the log line (a user name, a remote address)
     */
    public ReplayResult replay(DeadLetterFilter filter, boolean dryRun, String actor) {
        List<DeadLetterEntry> entries = list(filter);
        ReplayResult result = dryRun ? wouldReplay(entries) : replay(entries, actor);
        LOG.info("Dead-letter replay by {}: filter {}, dryRun {}, matched {}, replayed {}, refused {}", actor, filter,
                dryRun, entries.size(), result.replayed(), result.failures().size());
        return result;
    }

    /** A dry run: what a replay would refuse, by the same checks, and how many it would send. */
    private ReplayResult wouldReplay(List<DeadLetterEntry> entries) {
        Map<String, String> groups = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (DeadLetterEntry entry : entries) {
            String refusal = refusal(entry, groups);
            if (refusal != null) {
                refused.add(entry.id() + ": " + refusal);
            }
        }
        return new ReplayResult(true, entries.size(), entries.size() - refused.size(), List.of(), refused);
    }

    /** Puts these entries back on their source streams, each then deleted from the dead-letter stream. */
    ReplayResult replay(List<DeadLetterEntry> entries, String actor) {
        return replay(entries, actor, false);
    }

    /**
     * The parking lot's replay: each entry also carries when it first failed, so its next dead letter keeps the start
     * of its window, a change's as a stream entry's. An operator's replay does not, so the window starts again after a
     * fix.
     */
    ReplayResult redrive(List<DeadLetterEntry> entries, String actor) {
        return replay(entries, actor, true);
    }

    private ReplayResult replay(List<DeadLetterEntry> entries, String actor, boolean keepFirstFailure) {
        List<String> newIds = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, String> groups = new HashMap<>();
        RedisStreamCommands<String, String> commands = redis.commands();
        for (DeadLetterEntry entry : entries) {
            String refusal = refusal(entry, groups);
            if (refusal != null) {
                failures.add(entry.id() + ": " + refusal);
                continue;
            }
            if (isChange(entry)) {
                String failure = replayChange(entry, actor, keepFirstFailure ? entry.firstFailedAt() : null);
                if (failure != null) {
                    failures.add(entry.id() + ": " + failure);
                } else {
                    newIds.add(entry.sourceStream() + "/" + entry.sourceId());
                }
                continue;
            }
            Map<String, String> fields = withIdentity(entry);
            if (keepFirstFailure) {
                fields.put(DeadLetters.FIRST_FAILED_AT, entry.firstFailedAt());
            }
            // XADD first: if the delete then fails, the entry is replayed and still listed, never lost
            String newId = commands.xadd(entry.sourceStream(), fields);
            commands.xdel(stream, entry.id());
            newIds.add(newId);
            LOG.info("Replayed dead-letter entry {} ({}) to stream {} as {}, by {}", entry.id(), entry.reason(),
                    entry.sourceStream(), newId, actor);
        }
        return new ReplayResult(false, entries.size(), newIds.size(), newIds, failures);
    }
}
