package io.crmsync.stores.mongodb.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.EventWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.bson.Document;

/**
 * The write path's invariants (CONTRACT.md 2 and 3, issue 25) for every interleaving of valid, redelivered,
 * conflicting, out-of-range and malformed events over a few wallets and documents, written by two instances that stop
 * between any two steps, with the ledger reconciler running at random points; against a real (embedded) server,
 * through the shipped credit mappings.
 */
class MongoWritePropertiesIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final ExecutorService PARTS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "property-write-part");
        thread.setDaemon(true);
        return thread;
    });

    private static EmbeddedMongo server;
    private static MongoClient client;
    private static DefaultCamelContext camel;
    private static Map<String, Mapping> mappings;

    @BeforeContainer
    static void start() throws Exception {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.uri("crm"));
        camel = new DefaultCamelContext();
        mappings = new LinkedHashMap<>();
        MappingParser parser = new MappingParser(camel);
        for (String yaml : List.of(Files.readString(Path.of("routes/credits.mapping.yaml")), """
                mappings:
                  # near a long's limit, so that sums overflow at the fold
                  big-credit:
                    key: userId
                    ledger: {sign: as-sent, type: long, maxAmount: 9000000000000000000, balances: bigBalances}
                  person:
                    key: userId
                    fields:
                      name: name
                      score: {from: score, type: int}
                      city: city
                """)) {
            MappingParser.Result parsed = parser.parse("property.mapping.yaml", yaml);
            assertThat(parsed.issues()).isEmpty();
            parsed.mappings().forEach(m -> mappings.put(m.id(), m));
        }
    }

    @AfterContainer
    static void stop() {
        client.close();
        server.close();
        camel.stop();
    }

    // ---------------------------------------------------------------- credits

    enum Kind { VALID, OUT_OF_RANGE, MALFORMED, OTHER_AMOUNT, OTHER_WALLET, OTHER_TENANT, NEAR_LIMIT }

    /** One credit event; twins share the id of an earlier valid one. */
    record Credit(String id, Kind kind, String mapping, String tenant, String wallet, String amount, int copies, int second) {

        boolean twin() {
            return kind == Kind.OTHER_AMOUNT || kind == Kind.OTHER_WALLET || kind == Kind.OTHER_TENANT;
        }

        /** The signed amount the ledger holds for it. */
        BigDecimal signed() {
            BigDecimal amount = new BigDecimal(this.amount).abs();
            return switch (mapping) {
                case "credit-consumed" -> amount.negate();
                case "credit-allocated" -> amount;
                default -> new BigDecimal(this.amount);
            };
        }
    }

    private record Draft(Kind kind, int wallet, int amount, boolean consumed, int copies, int original) {
        boolean twin() {
            return kind == Kind.OTHER_AMOUNT || kind == Kind.OTHER_WALLET || kind == Kind.OTHER_TENANT;
        }
    }

    // Sums stay where a double tells them apart: mongo-java-server compares numbers as doubles and skips a $set of a
    // value "equal" to the stored one, which real MongoDB does not (the limits themselves are MappingTest's)
    private static final List<String> VALID = List.of("1", "0.01", "2.5", "100", "12345.67", "-7", "250000.5", "0.25");
    private static final List<String> OUT_OF_RANGE = List.of("1e400", "1000000000000000.01", "-1e16", "0.000000001",
            "1e-400", "-1E+6111");
    private static final List<String> MALFORMED = List.of("lots", "1.2.3", "NaN", "0x10", "--1", "1e", "Infinity", "12,5");
    // multiples of 10^15 near a long's limit, so sums overflow at the fold depending on their order
    private static final List<String> NEAR_LIMIT = List.of("3000000000000000000", "4000000000000000000",
            "-5000000000000000000", "9000000000000000000", "1000000000000000", "-1000000000000000");

    @Provide
    Arbitrary<List<Credit>> credits() {
        Arbitrary<Draft> draft = Combinators.combine(
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.VALID)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.OUT_OF_RANGE)), net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.MALFORMED)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.OTHER_AMOUNT)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.OTHER_WALLET)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.OTHER_TENANT)), net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.NEAR_LIMIT))),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 100), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 100))
                .as(Draft::new);
        return draft.list().ofMinSize(1).ofMaxSize(24).map(MongoWritePropertiesIT::credits);
    }

    private static List<Credit> credits(List<Draft> drafts) {
        List<Credit> credits = new ArrayList<>();
        List<Credit> valid = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            String mapping = d.consumed() ? "credit-consumed" : "credit-allocated";
            String wallet = "w" + d.wallet();
            Kind kind = d.twin() && valid.isEmpty() ? Kind.VALID : d.kind();
            Credit credit = switch (kind) {
                case VALID -> new Credit("e" + i, kind, mapping, "t", wallet, pick(VALID, d.amount()), d.copies(), i);
                case OUT_OF_RANGE -> new Credit("e" + i, kind, mapping, "t", wallet, pick(OUT_OF_RANGE, d.amount()), d.copies(), i);
                case MALFORMED -> new Credit("e" + i, kind, mapping, "t", wallet, pick(MALFORMED, d.amount()), d.copies(), i);
                case NEAR_LIMIT -> new Credit("e" + i, kind, "big-credit", "t", "b" + (d.wallet() / 2),
                        pick(NEAR_LIMIT, d.amount()), d.copies(), i);
                case OTHER_AMOUNT, OTHER_WALLET, OTHER_TENANT -> {
                    Credit original = pick(valid, d.original());
                    yield new Credit(original.id(), kind, original.mapping(), kind == Kind.OTHER_TENANT ? "t2" : "t",
                            kind == Kind.OTHER_WALLET ? original.wallet() + "x" : original.wallet(),
                            kind == Kind.OTHER_AMOUNT ? new BigDecimal(original.amount()).abs().add(BigDecimal.ONE).toPlainString()
                                    : original.amount(), d.copies(), i);
                }
            };
            credits.add(credit);
            if (kind == Kind.VALID) {
                valid.add(credit);
            }
        }
        return credits;
    }

    private static <T> T pick(List<T> from, int index) {
        return from.get(index % from.size());
    }

    /**
     * Every valid credit is applied exactly once and never dead-lettered; every balance is the sum of its wallet's
     * accepted ledger entries; whatever is refused (before the write, or at a fold that would overflow) stays refused
     * for every delivery and is never counted.
     */
    @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
    void creditsApplyExactlyOnceAndBalancesEqualTheirAcceptedLedger(@ForAll("credits") List<Credit> credits,
            @ForAll("steps") List<Deliveries.Step> steps, @ForAll long seed) {
        Run run = new Run(seed);
        Deliveries<Credit> deliveries = new Deliveries<>(seed);
        for (Credit credit : credits) {
            if (credit.twin()) {
                deliveries.hold(credit);
            } else {
                deliveries.enqueue(credit, credit.copies());
            }
        }
        try {
            run.play(deliveries, steps, credits, this::creditWrite, Credit::id, Credit::tenant, Credit::second,
                    twin -> credits.stream().anyMatch(c -> c.kind() == Kind.VALID && c.id().equals(twin.id()) && deliveries.applied(c)));

            assertCredits(run.database, credits, deliveries);
        } finally {
            run.database.drop();
        }
    }

    private Write creditWrite(Credit credit, CanonicalEvent event) {
        boolean big = credit.mapping().equals("big-credit");
        // the mapping names its balances: big-credit's are bigBalances
        return apply(credit.mapping(), event, big ? new Mapping.Target("bigLedger")
                : new Mapping.Target("creditLedger"));
    }

    private static void assertCredits(MongoDatabase database, List<Credit> credits, Deliveries<Credit> deliveries) {
        for (Credit credit : credits) {
            List<Object> outcomes = deliveries.outcomes(credit);
            switch (credit.kind()) {
                case VALID -> {
                    assertThat(deliveries.rejections(credit)).as("valid %s dead-lettered", credit).isEmpty();
                    assertThat(deliveries.applied(credit)).as("valid %s applied", credit).isTrue();
                    Document entry = database.getCollection("creditLedger").find(Filters.eq("_id", credit.id())).first();
                    assertThat(entry.get("folded")).as("%s folded", credit).isEqualTo(true);
                    assertThat(entry.get("refused")).isNull();
                    assertThat(entry.get("recordedAt")).isInstanceOf(java.util.Date.class);
                }
                case OUT_OF_RANGE, MALFORMED -> {
                    assertThat(outcomes).as("%s", credit).isNotEmpty().allSatisfy(o -> assertThat(o)
                            .isInstanceOf(EventRejectedException.class));
                    assertThat(database.getCollection("creditLedger").find(Filters.eq("_id", credit.id())).first())
                            .as("%s written", credit).isNull();
                }
                case OTHER_AMOUNT, OTHER_WALLET, OTHER_TENANT -> {
                    // besides the crashes it met on the way
                    assertThat(deliveries.applied(credit)).as("%s applied", credit).isFalse();
                    assertThat(deliveries.rejections(credit)).as("%s", credit).isNotEmpty()
                            .allSatisfy(e -> assertThat(e.reason().code()).isIn("event-id-conflict", "tenant-mismatch"));
                }
                case NEAR_LIMIT -> {
                    // applied or refused, never both, and the same refusal at every delivery
                    boolean applied = deliveries.applied(credit);
                    List<EventRejectedException> refused = deliveries.rejections(credit);
                    assertThat(applied || !refused.isEmpty()).as("%s settled", credit).isTrue();
                    assertThat(applied && !refused.isEmpty()).as("%s both applied and refused: %s", credit, outcomes).isFalse();
                    assertThat(refused.stream().map(Throwable::getMessage).distinct()).hasSizeLessThanOrEqualTo(1);
                    Document entry = database.getCollection("bigLedger").find(Filters.eq("_id", credit.id())).first();
                    assertThat(entry.get("refused")).as("%s marked", credit).isEqualTo(applied ? null : Boolean.TRUE);
                    assertThat(entry.get("folded")).isEqualTo(applied);
                }
            }
        }
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        Map<String, Long> entries = new LinkedHashMap<>();
        for (Credit credit : credits) {
            boolean counted = credit.kind() == Kind.VALID || (credit.kind() == Kind.NEAR_LIMIT && deliveries.applied(credit));
            String balances = credit.kind() == Kind.NEAR_LIMIT ? "bigBalances" : "creditBalances";
            if (credit.kind() == Kind.VALID || credit.kind() == Kind.NEAR_LIMIT) {
                expected.merge(balances + "/" + credit.tenant() + ":" + credit.wallet(), counted ? credit.signed() : BigDecimal.ZERO, BigDecimal::add);
                entries.merge(balances + "/" + credit.tenant() + ":" + credit.wallet(), counted ? 1L : 0L, Long::sum);
            }
        }
        expected.forEach((key, sum) -> {
            String[] at = key.split("/");
            Document balance = database.getCollection(at[0]).find(Filters.eq("_id", at[1])).first();
            if (balance == null) {
                assertThat(sum).as(key).isZero();
                return;
            }
            assertThat(ValueType.decimal(balance.get("balance"))).as("balance %s", key).isEqualByComparingTo(sum);
            assertThat(balance.get("entries", Number.class).longValue()).as("entries %s", key).isEqualTo(entries.get(key));
            assertThat(ValueType.decimal(balance.get("balance"))).as("balance %s is its accepted ledger", key)
                    .isEqualByComparingTo(acceptedSum(database, at[0].equals("bigBalances") ? "bigLedger" : "creditLedger", balance));
        });
        for (String ledger : List.of("creditLedger", "bigLedger")) {
            assertThat(database.getCollection(ledger).countDocuments(Filters.and(Filters.eq("folded", false),
                    Filters.ne("refused", true)))).as("undecided entries in %s", ledger).isZero();
        }
        assertThat(database.getCollection("creditBalances").countDocuments(Filters.eq("tenantId", "t2"))).isZero();
    }

    /** What a CRM summing the ledger gets: the entries neither marked refused nor listed as refusing. */
    private static BigDecimal acceptedSum(MongoDatabase database, String ledger, Document balance) {
        List<?> refusing = balance.get("_sync", Document.class).getList("refusing", Object.class, List.of());
        BigDecimal sum = BigDecimal.ZERO;
        for (Document row : database.getCollection(ledger).find(Filters.and(Filters.eq("tenantId", balance.getString("tenantId")),
                Filters.eq("entityId", balance.getString("entityId"))))) {
            if (!Boolean.TRUE.equals(row.get("refused")) && !refusing.contains(row.get("_id"))) {
                sum = sum.add(ValueType.decimal(row.get("amount")));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- field updates

    /** One change of a person; a twin of another tenant writes the same document id. */
    record Change(String id, String tenant, String person, Map<String, Object> data, boolean malformed, int copies, int second) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Map<String, Object>> data = Combinators.combine(Arbitraries.of("Ann", "Bob", "Cy", ""),
                Arbitraries.integers().between(-1, 9), Arbitraries.of("Oslo", "Rome", "Lima"),
                Arbitraries.integers().between(1, 7)).as((name, score, city, present) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if ((present & 1) != 0 && !name.isEmpty()) {
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
                Arbitraries.frequency(net.jqwik.api.Tuple.of(8, 0), net.jqwik.api.Tuple.of(1, 1), net.jqwik.api.Tuple.of(1, 2)),
                Arbitraries.integers().between(1, 3))
                .as((person, fields, kind, copies) -> new Change(null, kind == 2 ? "t2" : "t", "p" + person,
                        kind == 1 ? withBadScore(fields) : fields, kind == 1, copies, 0));
        return change.list().ofMinSize(1).ofMaxSize(20).map(list -> {
            List<Change> numbered = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Change c = list.get(i);
                // another tenant's change is a conflict only for a document its owner writes
                boolean owned = list.stream().anyMatch(o -> o.tenant().equals("t") && !o.malformed() && o.person().equals(c.person()));
                numbered.add(new Change("c" + i, owned ? c.tenant() : "t", c.person(), c.data(), c.malformed(), c.copies(), i));
            }
            return numbered;
        });
    }

    private static Map<String, Object> withBadScore(Map<String, Object> fields) {
        Map<String, Object> bad = new LinkedHashMap<>(fields);
        bad.put("score", "many");
        return bad;
    }

    /**
     * Every valid change is applied and never dead-lettered, and each document equals its valid changes folded in
     * event-time order, whatever the order, duplicates, crashes and instances.
     */
    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void documentsEqualTheirChangesFoldedInTimeOrder(@ForAll("changes") List<Change> changes,
            @ForAll("steps") List<Deliveries.Step> steps, @ForAll long seed) {
        Run run = new Run(seed);
        Deliveries<Change> deliveries = new Deliveries<>(seed);
        // the other tenant's change of a document comes once the document is its owner's
        for (Change change : changes) {
            if (change.tenant().equals("t2")) {
                deliveries.hold(change);
            } else {
                deliveries.enqueue(change, change.copies());
            }
        }
        try {
            run.play(deliveries, steps, changes, (change, event) -> apply("person", event, new Mapping.Target("people")),
                    Change::id, Change::tenant, Change::second, twin -> changes.stream().anyMatch(c -> c.tenant().equals("t")
                            && !c.malformed() && c.person().equals(twin.person()) && deliveries.applied(c)));

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
            expected.forEach((person, fields) -> {
                Document document = run.database.getCollection("people").find(Filters.eq("_id", person)).first();
                assertThat(document.getString("tenantId")).isEqualTo("t");
                Map<String, Object> actual = new LinkedHashMap<>();
                for (String field : List.of("name", "score", "city")) {
                    if (document.containsKey(field)) {
                        actual.put(field, document.get(field));
                    }
                }
                assertThat(actual).as(person).isEqualTo(fields);
            });
        } finally {
            run.database.drop();
        }
    }

    // ---------------------------------------------------------------- the run

    @Provide
    Arbitrary<List<Deliveries.Step>> steps() {
        return Deliveries.steps(16);
    }

    private static Write apply(String mapping, CanonicalEvent event, Mapping.Target target) {
        DefaultExchange exchange = new DefaultExchange(camel);
        EventExchange.attach(exchange, event);
        return mappings.get(mapping).apply(event, exchange, target, null);
    }

    /** Two instances of the app on one fresh database, each able to stop between any two of its writes. */
    private static final class Run {
        final MongoDatabase database = client.getDatabase("props" + DATABASES.incrementAndGet());
        final FaultyDatabase[] faults = {new FaultyDatabase(), new FaultyDatabase()};
        final EventWriter[] writers = {writer(faults[0]), writer(faults[1])};
        final java.util.Random random;

        Run(long seed) {
            this.random = new java.util.Random(seed);
        }

        private EventWriter writer(FaultyDatabase faults) {
            return new EventWriter(new Collections(faults.wrap(database), Map.of()), PARTS);
        }

        <E> void play(Deliveries<E> deliveries, List<Deliveries.Step> steps, List<E> all, WriteOf<E> writeOf,
                java.util.function.Function<E, String> id, java.util.function.Function<E, String> tenant,
                java.util.function.ToIntFunction<E> second, java.util.function.Predicate<E> releasable) {
            EventOf<E> eventOf = e -> new CanonicalEvent(id.apply(e), "test", tenant.apply(e), null, null,
                    T0.plusSeconds(second.applyAsInt(e)), new LinkedHashMap<>(data(e)), Map.of(), "test", id.apply(e), Map.of());
            for (Deliveries.Step step : steps) {
                if (step.reconcile()) {
                    faults[step.instance()].failAfter(step.faultAt(), step.afterApplying());
                    try {
                        writers[step.instance()].reconcileLedgers(Duration.ZERO);
                    } catch (RuntimeException e) {
                        // stopped mid-way: the next run finds the rest
                    } finally {
                        faults[step.instance()].heal();
                    }
                } else if (step.parallel() && step.faultAt() >= 0) {
                    // the other instance writes a batch between two writes of this one's: a race, step by step
                    List<E> first = deliveries.take(step.batch());
                    List<E> second2 = deliveries.take(step.batch());
                    java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
                    Runnable other = () -> {
                        if (ran.compareAndSet(false, true)) {
                            write(1 - step.instance(), second2, deliveries, writeOf, eventOf, null);
                        }
                    };
                    faults[step.instance()].interleaveAfter(step.faultAt(), other);
                    write(step.instance(), first, deliveries, writeOf, eventOf, null);
                    other.run(); // when this batch made fewer writes
                } else if (step.parallel()) {
                    List<E> first = deliveries.take(step.batch());
                    List<E> second2 = deliveries.take(step.batch());
                    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> write(1 - step.instance(), second2,
                            deliveries, writeOf, eventOf, null));
                    write(step.instance(), first, deliveries, writeOf, eventOf, step);
                    other.join();
                } else {
                    write(step.instance(), deliveries.take(step.batch()), deliveries, writeOf, eventOf, step);
                }
                deliveries.release(releasable);
            }
            // then the app runs without faults until every entry is handled, and the reconciler once more
            for (int round = 0; round < 1000 && !deliveries.isEmpty(); round++) {
                write(round % 2, deliveries.take(6), deliveries, writeOf, eventOf, null);
                deliveries.release(releasable);
            }
            assertThat(deliveries.isEmpty()).as("every delivery settled").isTrue();
            writers[0].reconcileLedgers(Duration.ZERO);
            writers[1].reconcileLedgers(Duration.ZERO);
        }

        private <E> void write(int instance, List<E> batch, Deliveries<E> deliveries, WriteOf<E> writeOf, EventOf<E> eventOf,
                Deliveries.Step step) {
            List<EventWriter.Request> requests = new ArrayList<>();
            for (E item : batch) {
                CanonicalEvent event = eventOf.event(item);
                try {
                    requests.add(new EventWriter.Request(event, writeOf.write(item, event),
                            Settle.of(outcome -> deliveries.settled(item, outcome), failure -> deliveries.settled(item, failure))));
                } catch (EventRejectedException e) {
                    deliveries.settled(item, e); // refused by the mapping, before any write
                }
            }
            if (step != null) {
                faults[instance].failAfter(step.faultAt(), step.afterApplying());
            }
            try {
                writers[instance].applyAll(requests);
            } catch (RuntimeException e) {
                // the instance stopped: its unsettled requests failed with it and come back
            } finally {
                faults[instance].heal();
            }
        }

        private static Map<String, Object> data(Object item) {
            if (item instanceof Credit credit) {
                return Map.of("userId", credit.wallet(), "amount", credit.amount(), "operationId", "op-" + credit.id());
            }
            Change change = (Change) item;
            Map<String, Object> data = new LinkedHashMap<>(change.data());
            data.put("userId", change.person());
            return data;
        }
    }

    @FunctionalInterface
    interface WriteOf<E> {
        Write write(E item, CanonicalEvent event);
    }

    @FunctionalInterface
    interface EventOf<E> {
        CanonicalEvent event(E item);
    }
}
