package io.crmsync.stores.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.write.Write;
import io.crmsync.stores.mongodb.properties.Deliveries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The PostgreSQL store's merge under the same adversity as MongoDB's (MongoWritePropertiesIT): random orders,
 * redeliveries, another tenant's changes of the same rows and malformed values, written by two instances whose
 * transactions stop before or after their commit. Every valid change is applied and never dead-lettered, and each row
 * equals its changes folded in event-time order.
 */
class TableMergePropertiesIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static ScratchDatabase database;
    private static DefaultCamelContext camel;
    private static Mapping person;

    @BeforeContainer
    static void start() throws Exception {
        database = ScratchDatabase.start(StampRows.DDL);
        camel = new DefaultCamelContext();
        MappingParser.Result parsed = new MappingParser(camel).parse("person.mapping.yaml", """
                mappings:
                  person:
                    key: userId
                    fields:
                      name: name
                      score: {from: score, type: int}
                      city: city
                """);
        assertThat(parsed.issues()).isEmpty();
        person = parsed.mappings().get(0);
    }

    @AfterContainer
    static void stop() {
        database.close();
        camel.stop();
    }

    /** One change of a person's row; one of another tenant writes the same key. */
    record Change(String id, String tenant, String person, Map<String, Object> data, boolean malformed, int copies, int second) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Map<String, Object>> data = Combinators.combine(Arbitraries.of("Ann", "Bob", "Cy"),
                Arbitraries.integers().between(-1, 9), Arbitraries.of("Oslo", "Rome", "Lima"),
                Arbitraries.integers().between(1, 7)).as((name, score, city, present) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if ((present & 1) != 0) {
                        fields.put("name", name);
                    }
                    if ((present & 2) != 0) {
                        fields.put("score", score);
                    }
                    if ((present & 4) != 0) {
                        fields.put("city", city);
                    }
                    return fields;
                });
        Arbitrary<Change> change = Combinators.combine(Arbitraries.integers().between(0, 2), data,
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 2)), Arbitraries.integers().between(1, 3))
                .as((who, fields, kind, copies) -> {
                    Map<String, Object> sent = new LinkedHashMap<>(fields);
                    if (kind == 1) {
                        sent.put("score", "many");
                    }
                    return new Change(null, kind == 2 ? "t2" : "t", "p" + who, sent, kind == 1, copies, 0);
                });
        return change.list().ofMinSize(1).ofMaxSize(20).map(list -> {
            List<Change> numbered = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Change c = list.get(i);
                // another tenant's change is a conflict only for a row its owner writes
                boolean owned = list.stream().anyMatch(o -> o.tenant().equals("t") && !o.malformed() && o.person().equals(c.person()));
                numbered.add(new Change("c" + i, owned ? c.tenant() : "t", c.person(), c.data(), c.malformed(), c.copies(), i));
            }
            return numbered;
        });
    }

    @Provide
    Arbitrary<List<Deliveries.Step>> steps() {
        return Deliveries.steps(16);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void rowsEqualTheirChangesFoldedInTimeOrder(@ForAll("changes") List<Change> changes,
            @ForAll("steps") List<Deliveries.Step> steps, @ForAll long seed) throws Exception {
        String table = "people_" + TABLES.incrementAndGet();
        try (Connection connection = database.dataSource().getConnection()) {
            connection.createStatement().execute("create table " + table
                    + " (id text primary key, tenant_id text, name text, score int, city text)");
        }
        Target target = new Target(table, List.of("id"), null, "tenant_id");
        TableWrites[] instances = {new TableWrites(new StampRows(new ObjectMapper())), new TableWrites(new StampRows(new ObjectMapper()))};
        Deliveries<Change> deliveries = new Deliveries<>(seed);
        for (Change change : changes) {
            if (change.tenant().equals("t2")) {
                deliveries.hold(change);
            } else {
                deliveries.enqueue(change, change.copies());
            }
        }
        java.util.function.Predicate<Change> ownerWrote = twin -> changes.stream().anyMatch(c -> c.tenant().equals("t")
                && !c.malformed() && c.person().equals(twin.person()) && deliveries.applied(c));

        for (Deliveries.Step step : steps) {
            if (step.parallel()) {
                List<Change> first = deliveries.take(step.batch());
                List<Change> second = deliveries.take(step.batch());
                CompletableFuture<Void> other = CompletableFuture.runAsync(() -> write(instances[1 - step.instance()], target,
                        second, deliveries, null));
                write(instances[step.instance()], target, first, deliveries, step);
                other.join();
            } else {
                write(instances[step.instance()], target, deliveries.take(step.batch()), deliveries, step);
            }
            deliveries.release(ownerWrote);
        }
        for (int round = 0; round < 1000 && !deliveries.isEmpty(); round++) {
            write(instances[round % 2], target, deliveries.take(6), deliveries, null);
            deliveries.release(ownerWrote);
        }
        assertThat(deliveries.isEmpty()).as("every delivery settled").isTrue();

        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.tenant().equals("t") && !change.malformed()) {
                assertThat(deliveries.rejections(change)).as("valid %s dead-lettered", change).isEmpty();
                assertThat(deliveries.applied(change)).as("valid %s applied", change).isTrue();
                // in event-time order, which is list order here
                expected.computeIfAbsent(change.person(), p -> new LinkedHashMap<>()).putAll(change.data());
            } else {
                assertThat(deliveries.applied(change)).as("%s applied", change).isFalse();
                assertThat(deliveries.rejections(change)).as("%s", change).isNotEmpty();
            }
        }
        Map<String, Map<String, Object>> rows = rows(table);
        assertThat(rows.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, fields) -> {
            Map<String, Object> row = rows.get(id);
            assertThat(row.get("tenant_id")).isEqualTo("t");
            for (String column : List.of("name", "score", "city")) {
                assertThat(row.get(column)).as("%s.%s", id, column).isEqualTo(fields.get(column));
            }
        });
    }

    /** Found by the property above: the other tenant's change first in the batch fenced out the owner's own changes. */
    @Example
    void anotherTenantsChangeFirstInABatchFailsAloneAndTheOwnersChangesOfTheRowApply() {
        String table = "people_fence";
        try (Connection connection = database.dataSource().getConnection()) {
            connection.createStatement().execute("create table " + table
                    + " (id text primary key, tenant_id text, name text, score int, city text)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Target target = new Target(table, List.of("id"), null, "tenant_id");
        TableWrites writes = new TableWrites(new StampRows(new ObjectMapper()));
        Deliveries<Change> deliveries = new Deliveries<>(1);
        Change owner = new Change("f1", "t", "p0", Map.of("name", "Ann"), false, 1, 1);
        Change intruder = new Change("f2", "t2", "p0", Map.of("name", "Eve"), false, 1, 2);
        Change later = new Change("f3", "t", "p0", Map.of("city", "Oslo"), false, 1, 3);
        List.of(owner, intruder, later).forEach(c -> deliveries.enqueue(c, 1));
        write(writes, target, List.of(owner), deliveries, null);

        write(writes, target, List.of(intruder, later), deliveries, null);

        assertThat(deliveries.rejections(intruder)).singleElement().satisfies(e -> assertThat(e.reason().code()).isEqualTo("tenant-mismatch"));
        assertThat(deliveries.outcomes(later)).containsExactly(io.crmsync.core.write.Outcome.PROCESSED);
        assertThat(rows(table).get("p0")).containsEntry("tenant_id", "t").containsEntry("name", "Ann").containsEntry("city", "Oslo");
    }

    /** One batch in one transaction; a fault stops the instance before its commit, or after it and before the acks. */
    private static void write(TableWrites writes, Target target, List<Change> batch, Deliveries<Change> deliveries,
            Deliveries.Step step) {
        List<TableWrites.Request> requests = new ArrayList<>();
        // by identity, as PostgresStore keeps them: a redelivery in the same batch is an equal request
        Map<TableWrites.Request, Change> changeOf = new java.util.IdentityHashMap<>();
        for (Change change : batch) {
            CanonicalEvent event = new CanonicalEvent(change.id(), "person.updated", change.tenant(), null, null,
                    T0.plusSeconds(change.second()), data(change), Map.of(), "test", change.id(), Map.of());
            DefaultExchange exchange = new DefaultExchange(camel);
            EventExchange.attach(exchange, event);
            try {
                Write.FieldUpdate update = (Write.FieldUpdate) person.apply(event, exchange, new Mapping.Target(target.table()), null);
                TableWrites.Request request = new TableWrites.Request(target, event, update, false);
                requests.add(request);
                changeOf.put(request, change);
            } catch (EventRejectedException e) {
                deliveries.settled(change, e); // refused by the mapping, before any write
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        Map<TableWrites.Request, Object> results = new java.util.IdentityHashMap<>();
        boolean fault = step != null && step.faultAt() >= 0;
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                writes.upsert(connection, target, requests, results);
                if (fault && !step.afterApplying()) {
                    connection.rollback();
                    throw new IllegalStateException("injected: stopped before the commit");
                }
                connection.commit();
                if (fault) {
                    throw new IllegalStateException("injected: stopped after the commit, before the acks");
                }
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        } catch (Exception e) {
            // the instance stopped, or PostgreSQL refused the transaction (a deadlock between the two): all come back
            requests.forEach(r -> deliveries.settled(changeOf.get(r), new IllegalStateException(e)));
            return;
        }
        // settled as PostgresStore settles them: no result is a failure, and comes back
        requests.forEach(r -> deliveries.settled(changeOf.get(r), results.get(r) != null ? results.get(r)
                : new IllegalStateException("no result for event " + r.event().id())));
    }

    private static Map<String, Object> data(Change change) {
        Map<String, Object> data = new LinkedHashMap<>(change.data());
        data.put("userId", change.person());
        return data;
    }

    private static Map<String, Map<String, Object>> rows(String table) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery("select * from " + table)) {
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String column : List.of("tenant_id", "name", "score", "city")) {
                    row.put(column, result.getObject(column));
                }
                rows.put(result.getString("id"), row);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
