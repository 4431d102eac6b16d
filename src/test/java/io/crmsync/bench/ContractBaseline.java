package io.crmsync.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventTypes;
import io.crmsync.core.event.EventParser;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.outcome.Acknowledgments;
import io.crmsync.core.outcome.OutcomeRecord;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Write;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.EventWriter;
import io.crmsync.stores.mongodb.Lookups;
import io.crmsync.stores.mongodb.ProcessingRecords;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The raw baseline's loop (one thread, XREADGROUP COUNT 1000, XACK per batch) doing exactly crm-sync's work per batch
 * with crm-sync's own classes, but without Camel routing: parse to the canonical event, map it with the shipped
 * routes/*.mapping.yaml (a Camel context only compiles and evaluates their expressions),
 * {@link EventWriter#applyAll} (per-field versions, tenant guards, exact credit folding), processing records, and
 * pipelined XADDs to the acknowledgments stream, all before the XACK. The gap between this and the raw baseline is
 * what the contract's guarantees cost on these servers; the gap between this and crm-sync is the app's own overhead
 * (Camel routing, exchanges, metrics, threads).
 */
final class ContractBaseline extends RawBaseline {

    private static final java.util.concurrent.ExecutorService PARTS = java.util.concurrent.Executors.newCachedThreadPool(
            runnable -> {
                Thread thread = new Thread(runnable, "contract-write-part");
                thread.setDaemon(true);
                return thread;
            });

    private final RedisAsyncCommands<String, String> async;
    private final RedisStreamEntries entries;
    private final EventWriter writer;
    private final ProcessingRecords records;
    private final Acknowledgments acknowledgments;
    private final DefaultCamelContext languages = new DefaultCamelContext();
    private final Map<String, Mapping> mappings = new java.util.HashMap<>();
    private final Lookups lookups;

    ContractBaseline(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, MongoDatabase db,
            Map<String, String> streamGroups) {
        super(redis, db, streamGroups);
        this.async = async;
        ObjectMapper json = new ObjectMapper();
        // the defaults of application.yaml
        this.entries = new RedisStreamEntries(new EventParser(json, 1_048_576,
                Map.of("crm:sync:role_permissions", "role.permissions.updated")));
        Collections collections = new Collections(db, Map.of());
        // collections written at once, as the app writes them
        this.writer = new EventWriter(collections, PARTS);
        this.records = new ProcessingRecords(collections, true);
        this.acknowledgments = new Acknowledgments(null, json, "acknowledgments", "contract-baseline", true);
        this.lookups = new Lookups(collections, Duration.ofSeconds(5), Clock.systemUTC());
        // started, as the app's is: an unstarted context caches no bean introspection, and simple's OGNL then costs
        // about 100 us per evaluation instead of 4 (measured)
        languages.start();
        Map<String, String> aliases = new java.util.HashMap<>();
        try (var files = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("routes"), "*.mapping.yaml")) {
            for (java.nio.file.Path file : files) {
                MappingParser.Result parsed = new MappingParser(languages).parse(file.getFileName().toString(),
                        java.nio.file.Files.readString(file));
                if (!parsed.issues().isEmpty()) {
                    throw new IllegalStateException(file + ": " + parsed.issues());
                }
                parsed.mappings().forEach(m -> mappings.put(m.id(), m));
                aliases.putAll(parsed.aliases());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the mapping files' aliases: (org.created is organization.created), put in effect as the app does
        EventTypes.useAliases(aliases);
    }

    @Override
    void write(String stream, List<StreamMessage<String, String>> messages) {
        List<CanonicalEvent> events = new ArrayList<>(messages.size());
        List<EventWriter.Request> requests = new ArrayList<>(messages.size());
        // a record's hash would hash its maps; settled from the threads that write the batch's collections
        Map<CanonicalEvent, Outcome> outcomes = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
        for (StreamMessage<String, String> m : messages) {
            CanonicalEvent event = entries.toEvent(m.getBody(), stream, m.getId());
            events.add(event);
            requests.add(new EventWriter.Request(event, map(event), Settle.of(outcome -> outcomes.put(event, outcome),
                    failure -> {
                        throw new IllegalStateException("event " + event.id() + " failed", failure);
                    })));
        }
        writer.applyAll(requests);
        List<OutcomeRecord> recordEntries = new ArrayList<>(events.size());
        List<RedisFuture<String>> acks = new ArrayList<>(events.size());
        for (CanonicalEvent event : events) {
            Outcome outcome = outcomes.get(event);
            recordEntries.add(new OutcomeRecord(event.origin(), event.id(), event.type(), event.tenantId(), null,
                    outcome, 1, null, null, null));
        }
        records.recordAll(recordEntries);
        for (CanonicalEvent event : events) {
            acks.add(async.xadd("acknowledgments", acknowledgments.entry(event.id(), true, event.type(), event.source(),
                    event.position(), Map.of("outcome", outcomes.get(event).status()))));
        }
        LettuceFutures.awaitAll(Duration.ofSeconds(10), acks.toArray(new RedisFuture[0]));
    }

    /** What the YAML routes' content-based router chooses, as plain Java, then the mapping it names. */
    private Write map(CanonicalEvent event) {
        Exchange exchange = new DefaultExchange(languages);
        exchange.getMessage().setBody(event);
        String type = event.type();
        if (event.source().equals(EventGenerator.INTER_APP)) {
            String target = event.text("targetApplication");
            if (target != null && !target.trim().equalsIgnoreCase("crm") && !target.trim().equals("*")) {
                return apply("inter-app-elsewhere", "interAppEvents", event, exchange);
            }
            if (!type.startsWith("user.") && !type.startsWith("role.") && !type.startsWith("organization.")
                    && !type.startsWith("credit.")) {
                return apply("inter-app-archived", "interAppEvents", event, exchange);
            }
        }
        return switch (type) {
            case "user.created" -> apply("user-created", "users", event, exchange);
            case "user.deactivated" -> apply("user-deactivated", "users", event, exchange);
            case "user.deleted" -> apply("user-deleted", "users", event, exchange);
            case "role.created", "role.updated" -> apply("role-upserted", "roles", event, exchange);
            case "role.deleted" -> apply("role-deleted", "roles", event, exchange);
            case "role.assigned" -> apply("role-assigned", "userRoles", event, exchange);
            case "role.unassigned" -> apply("role-unassigned", "userRoles", event, exchange);
            case "role.permissions.updated" -> apply("role-permissions-replaced", "roles", event, exchange);
            case "organization.created", "organization.updated" -> apply("organization-upserted", "organizations", event, exchange);
            case "organization.deleted" -> apply("organization-deleted", "organizations", event, exchange);
            case "organization.assignment.created", "organization.assignment.updated" ->
                    apply("assignment-upserted", "organizationAssignments", event, exchange);
            case "organization.assignment.activated" -> apply("assignment-activated", "organizationAssignments", event, exchange);
            case "organization.assignment.deactivated" -> apply("assignment-deactivated", "organizationAssignments", event, exchange);
            case "organization.assignment.deleted" -> apply("assignment-deleted", "organizationAssignments", event, exchange);
            case "credit.allocated" -> ledger("credit-allocated", event, exchange);
            case "credit.consumed" -> ledger("credit-consumed", event, exchange);
            case "credit.config.updated" -> apply("credit-config-updated", "creditConfigs", event, exchange);
            default -> throw new IllegalStateException("no handler for " + type);
        };
    }

    private Write apply(String mapping, String collection, CanonicalEvent event, Exchange exchange) {
        return mappings.get(mapping).apply(event, exchange, new Mapping.Target(collection), lookups);
    }

    private Write ledger(String mapping, CanonicalEvent event, Exchange exchange) {
        return mappings.get(mapping).apply(event, exchange, new Mapping.Target("creditLedger"), lookups);
    }
}
