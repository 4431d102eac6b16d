package io.crmsync.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import io.crmsync.enrichment.OrganizationDirectory;
import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventParser;
import io.crmsync.outcome.Acknowledgments;
import io.crmsync.persistence.Collections;
import io.crmsync.persistence.EventWriter;
import io.crmsync.persistence.IndexSetup;
import io.crmsync.persistence.Outcome;
import io.crmsync.persistence.ProcessingRecords;
import io.crmsync.persistence.Settle;
import io.crmsync.persistence.Write;
import io.crmsync.routing.CreditEvents;
import io.crmsync.routing.InterAppEvents;
import io.crmsync.routing.OrganizationEvents;
import io.crmsync.routing.RoleEvents;
import io.crmsync.routing.UserEvents;
import io.crmsync.source.RedisStreamEntries;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The raw baseline's loop (one thread, XREADGROUP COUNT 1000, XACK per batch) doing exactly crm-sync's work per batch
 * with crm-sync's own classes, but without Camel: parse to the canonical event, map it with the handler beans,
 * {@link EventWriter#applyAll} (per-field versions, tenant guards, exact credit folding), processing records, and
 * pipelined XADDs to the acknowledgments stream, all before the XACK. The gap between this and the raw baseline is
 * what the contract's guarantees cost on these servers; the gap between this and crm-sync is the app's own overhead
 * (Camel routing, exchanges, metrics, threads).
 */
final class ContractBaseline extends RawBaseline {

    private final RedisAsyncCommands<String, String> async;
    private final RedisStreamEntries entries;
    private final EventWriter writer;
    private final ProcessingRecords records;
    private final Acknowledgments acknowledgments;
    private final UserEvents users = new UserEvents();
    private final RoleEvents roles = new RoleEvents();
    private final OrganizationEvents organizations;
    private final CreditEvents credits = new CreditEvents();
    private final InterAppEvents interApp = new InterAppEvents("crm");

    ContractBaseline(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, MongoDatabase db,
            Map<String, String> streamGroups) {
        super(redis, db, streamGroups);
        this.async = async;
        ObjectMapper json = new ObjectMapper();
        // the defaults of application.yaml
        this.entries = new RedisStreamEntries(new EventParser(json, 1_048_576,
                Map.of("crm:sync:role_permissions", "role.permissions.updated")));
        Collections collections = new Collections(db, Map.of());
        IndexSetup.ensure(collections);
        this.writer = new EventWriter(collections);
        this.records = new ProcessingRecords(collections, true);
        this.acknowledgments = new Acknowledgments(null, json, "acknowledgments", "contract-baseline", true);
        this.organizations = new OrganizationEvents(new OrganizationDirectory(collections.get("organizations"),
                Duration.ofSeconds(5), Clock.systemUTC()));
    }

    @Override
    void write(String stream, List<StreamMessage<String, String>> messages) {
        List<CanonicalEvent> events = new ArrayList<>(messages.size());
        List<EventWriter.Request> requests = new ArrayList<>(messages.size());
        Map<CanonicalEvent, Outcome> outcomes = new IdentityHashMap<>(); // a record's hash would hash its maps
        for (StreamMessage<String, String> m : messages) {
            CanonicalEvent event = entries.toEvent(m.getBody(), stream, m.getId());
            events.add(event);
            requests.add(new EventWriter.Request(event, map(event), Settle.of(outcome -> outcomes.put(event, outcome),
                    failure -> {
                        throw new IllegalStateException("event " + event.id() + " failed", failure);
                    })));
        }
        writer.applyAll(requests);
        List<ProcessingRecords.Entry> recordEntries = new ArrayList<>(events.size());
        List<RedisFuture<String>> acks = new ArrayList<>(events.size());
        for (CanonicalEvent event : events) {
            Outcome outcome = outcomes.get(event);
            recordEntries.add(new ProcessingRecords.Entry(event.origin(), event.id(), event.type(), event.tenantId(),
                    outcome, 1, null));
        }
        records.recordAll(recordEntries);
        for (CanonicalEvent event : events) {
            acks.add(async.xadd("acknowledgments", acknowledgments.entry(event.id(), true, event.type(), event.source(),
                    event.position(), Map.of("outcome", outcomes.get(event).status()))));
        }
        LettuceFutures.awaitAll(Duration.ofSeconds(10), acks.toArray(new RedisFuture[0]));
    }

    /** What the YAML routes' content-based router chooses, as plain Java. */
    private Write map(CanonicalEvent event) {
        String type = event.type();
        if (event.source().equals(EventGenerator.INTER_APP)) {
            if (interApp.isNotForUs(event)) {
                return interApp.notForUs(event);
            }
            if (!type.startsWith("user.") && !type.startsWith("role.") && !type.startsWith("organization.")
                    && !type.startsWith("credit.")) {
                return interApp.archived(event);
            }
        }
        return switch (type) {
            case "user.created" -> users.created(event);
            case "user.deactivated" -> users.deactivated(event);
            case "user.deleted" -> users.deleted(event);
            case "role.created", "role.updated" -> roles.upserted(event);
            case "role.deleted" -> roles.deleted(event);
            case "role.assigned" -> roles.assigned(event);
            case "role.unassigned" -> roles.unassigned(event);
            case "role.permissions.updated" -> roles.permissionsReplaced(event);
            case "organization.created", "organization.updated" -> organizations.organizationUpserted(event);
            case "organization.deleted" -> organizations.organizationDeleted(event);
            case "organization.assignment.created", "organization.assignment.updated" -> organizations.assignmentUpserted(event);
            case "organization.assignment.activated" -> organizations.assignmentActivated(event);
            case "organization.assignment.deactivated" -> organizations.assignmentDeactivated(event);
            case "organization.assignment.deleted" -> organizations.assignmentDeleted(event);
            case "credit.allocated" -> credits.allocated(event);
            case "credit.consumed" -> credits.consumed(event);
            case "credit.config.updated" -> credits.configUpdated(event);
            default -> throw new IllegalStateException("no handler for " + type);
        };
    }
}
