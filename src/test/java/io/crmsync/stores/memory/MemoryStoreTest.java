package io.crmsync.stores.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.store.PlannedWrite;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Verdict;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A third store, in a package of its own, written only against core.store: a real mapping and a real route drive it,
 * and the core does for it what it does for MongoDB and PostgreSQL (plain values, skips, plan-only, the culprit).
 */
class MemoryStoreTest {

    private static final Instant TIME = Instant.parse("2026-01-05T10:00:00Z");

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final MemoryStore store = new MemoryStore();
    private final Mappings mappings = new Mappings();
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        MappingParser.Result parsed = new MappingParser(camel).parse("people.mapping.yaml", """
                mappings:
                  person:
                    key: userId
                    fields:
                      name: {type: string}
                      credit: {type: decimal}
                      joinedAt: {type: date}
                      poison: {type: string}
                    skip:
                      - when: {present: test}
                        reason: test-event
                  person-deleted:
                    key: userId
                    tombstone: {deleted: true}
                  credit:
                    key: userId
                    ledger: {sign: positive}
                """);
        assertThat(parsed.issues()).isEmpty();
        mappings.replace("people.mapping.yaml", "1", parsed.mappings());
        camel.addComponent("crm-memory", new MemoryStoreComponent(mappings, store));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:people").to("crm-memory:people?mapping=person");
                from("direct:deletes").to("crm-memory:people?mapping=person-deleted");
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void theStoreReceivesTheMappingsPlainValues() throws Exception {
        CompletableFuture<Exchange> sent = send(event("e-1", Map.of("userId", "u-1", "name", "Ada", "credit", "120.50",
                "joinedAt", "2024-03-01T08:00:00Z")), false);
        awaitQueued(1);
        store.flush();
        Exchange done = sent.get(5, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(EventExchange.OUTCOME)).isEqualTo(Outcome.PROCESSED);
        assertThat(done.getProperty(EventExchange.TARGET)).isEqualTo("memory:people/u-1");
        assertThat(done.getProperty(EventExchange.ENTITY_KEY)).isEqualTo("u-1");
        assertThat(store.stored("people", "u-1").fields()).isEqualTo(Map.of("name", "Ada",
                "credit", new BigDecimal("120.50"), "joinedAt", Instant.parse("2024-03-01T08:00:00Z")));
    }

    @Test
    void aSkippedEventGoesOnAtOnceAndWritesNothing() throws Exception {
        Exchange done = send(event("e-1", Map.of("userId", "u-1", "test", true)), false).get(5, TimeUnit.SECONDS);

        assertThat(done.getMessage().getHeader(EventExchange.OUTCOME)).isEqualTo(Outcome.SKIPPED);
        assertThat(done.getMessage().getHeader(EventExchange.OUTCOME_REASON)).isEqualTo("test-event");
        store.flush();
        assertThat(store.records()).isEmpty();
        assertThat(store.attempts()).isZero();
    }

    @Test
    void planOnlyWritesNothingAndItsPlanIsVerifiedByTheStore() throws Exception {
        CanonicalEvent event = event("e-1", Map.of("userId", "u-1", "name", "Ada"));

        Exchange planned = send(event, true).get(5, TimeUnit.SECONDS);
        store.flush();

        assertThat(store.records()).isEmpty();
        PlannedWrite plan = planned.getMessage().getBody(PlannedWrite.class);
        assertThat(plan.verify().state()).isEqualTo(Verdict.State.MISSING);
        CompletableFuture<Exchange> written = send(event, false);
        awaitQueued(1);
        store.flush();
        written.get(5, TimeUnit.SECONDS);
        assertThat(plan.verify().state()).isEqualTo(Verdict.State.UP_TO_DATE);
    }

    @Test
    void theCulpritOfARefusedBatchFailsAloneAndTheOthersAreWritten() throws Exception {
        List<CompletableFuture<Exchange>> sent = List.of(
                send(event("e-1", Map.of("userId", "u-1", "name", "Ada")), false),
                send(event("e-2", Map.of("userId", "u-2", "poison", "yes")), false),
                send(event("e-3", Map.of("userId", "u-3", "name", "Grace")), false),
                send(event("e-4", Map.of("userId", "u-4", "name", "Edsger")), false));
        awaitQueued(4);
        store.flush();

        assertThat(sent.get(1).get(5, TimeUnit.SECONDS).getException())
                .isInstanceOfSatisfying(EventRejectedException.class,
                        e -> assertThat(e.reason().code()).isEqualTo("write-rejected"));
        for (int i : new int[] { 0, 2, 3 }) {
            assertThat(sent.get(i).get(5, TimeUnit.SECONDS).getMessage().getHeader(EventExchange.OUTCOME))
                    .isEqualTo(Outcome.PROCESSED);
        }
        assertThat(store.records().keySet()).containsExactlyInAnyOrder("people/u-1", "people/u-3", "people/u-4");
        // halves, not one by one: all four, [1, 2] refused, [1] and [2] alone, then [3, 4]
        assertThat(store.attempts()).isEqualTo(5);
    }

    @Test
    void aDeleteNamingNoTenantIsATombstoneOfTheStoredRecordsTenant() throws Exception {
        CompletableFuture<Exchange> created = send(event("e-1", Map.of("userId", "u-1", "name", "Ada")), false);
        awaitQueued(1);
        store.flush();
        created.get(5, TimeUnit.SECONDS);

        CompletableFuture<Exchange> deleted = send("direct:deletes", event("e-2", null, Map.of("userId", "u-1")), false);
        awaitQueued(1);
        store.flush();
        Exchange done = deleted.get(5, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(EventExchange.OUTCOME)).isEqualTo(Outcome.PROCESSED);
        assertThat(store.stored("people", "u-1")).isEqualTo(new MemoryStore.Record("people", "u-1", "acme",
                Map.of("deleted", true)));
    }

    @Test
    void aDeleteNamingNoTenantWithNothingStoredIsRefusedAsMissingFieldSayingWhatToRun() throws Exception {
        Exchange done = send("direct:deletes", event("e-1", null, Map.of("userId", "u-1")), false)
                .get(5, TimeUnit.SECONDS);

        assertThat(done.getException()).isInstanceOfSatisfying(EventRejectedException.class,
                e -> assertThat(e.reason().code()).isEqualTo("missing-field"))
                .hasMessageContaining("ALTER TABLE ... REPLICA IDENTITY FULL");
        store.flush();
        assertThat(store.records()).isEmpty();
    }

    @Test
    void anEventNamingNoTenantThatIsNotADeleteIsRefusedEvenWhenItsRecordIsStored() throws Exception {
        CompletableFuture<Exchange> created = send(event("e-1", Map.of("userId", "u-1", "name", "Ada")), false);
        awaitQueued(1);
        store.flush();
        created.get(5, TimeUnit.SECONDS);

        Exchange done = send("direct:people", event("e-2", null, Map.of("userId", "u-1", "name", "Eve")), false)
                .get(5, TimeUnit.SECONDS);

        assertThat(done.getException()).isInstanceOfSatisfying(EventRejectedException.class,
                e -> assertThat(e.reason().code()).isEqualTo("missing-field"));
        assertThat(store.stored("people", "u-1").fields()).containsEntry("name", "Ada");
    }

    @Test
    void aMappingTheStoreCannotWriteIsRefusedWhenTheEndpointIsMade() {
        assertThatThrownBy(() -> camel.getEndpoint("crm-memory:credits?mapping=credit"))
                .hasStackTraceContaining("mapping 'credit' has a ledger: section, which crm-memory does not write");
        assertThatThrownBy(() -> camel.getEndpoint("crm-memory:people?mapping=persno"))
                .hasStackTraceContaining("no mapping 'persno' in any *.mapping.yaml");
    }

    private CompletableFuture<Exchange> send(CanonicalEvent event, boolean planOnly) {
        return send("direct:people", event, planOnly);
    }

    private CompletableFuture<Exchange> send(String route, CanonicalEvent event, boolean planOnly) {
        return producer.asyncSend(route, exchange -> {
            EventExchange.attach(exchange, event);
            exchange.setProperty(EventExchange.PLAN_ONLY, planOnly);
        });
    }

    private void awaitQueued(int count) throws InterruptedException {
        for (int i = 0; i < 500 && store.queued() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(store.queued()).isEqualTo(count);
    }

    private static CanonicalEvent event(String id, Map<String, Object> data) {
        return event(id, "acme", data);
    }

    /** @param tenant null for a delete of a captured table without REPLICA IDENTITY FULL: it carries its key alone */
    private static CanonicalEvent event(String id, String tenant, Map<String, Object> data) {
        return new CanonicalEvent(id, "user.created", tenant, null, null, TIME, new LinkedHashMap<>(data), Map.of(),
                "s", "1-0", Map.of());
    }
}
