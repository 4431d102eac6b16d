package io.crmsync.stores.mongodb.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.Write;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.stores.mongodb.EventWriter;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md invariants 2 and 3 on the writers themselves: the final document is the same whatever order, count and
 * concurrency the events are applied with, and a balance is the exact sum of its ledger.
 */
class ConvergenceIT {

    private static EmbeddedMongo server;
    static MongoClient client;
    static EventWriter writer;
    // as the app writes: each collection of a batch on a thread of its own. Never shut down, because the subclasses
    // share it; its threads are daemons and idle ones end after a minute
    static final ExecutorService PARTS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "convergence-write-part");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeAll
    static void start() {
        server = EmbeddedMongo.start();
        connect(server.uri("crm"));
    }

    static void connect(String uri) {
        client = MongoClients.create(uri);
        var collections = new io.crmsync.stores.mongodb.Collections(client.getDatabase("crm"), Map.of());
        writer = new EventWriter(collections, PARTS);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static CanonicalEvent event(String id, String tenant, long second) {
        return new CanonicalEvent(id, "test", tenant, null, null, Instant.ofEpochSecond(1_700_000_000L + second),
                Map.of(), Map.of(), "test", id, Map.of());
    }

    /** Events of one user, each setting a few fields, in event-time order. */
    private static List<Map.Entry<CanonicalEvent, Write>> userHistory(String userId) {
        List<Map.Entry<CanonicalEvent, Write>> history = new ArrayList<>();
        history.add(Map.entry(event(userId + "-1", "t", 1), new Write.FieldUpdate("users", userId,
                Map.of("email", "a@x", "name", "A", "isActive", true))));
        history.add(Map.entry(event(userId + "-2", "t", 2), new Write.FieldUpdate("users", userId, Map.of("name", "B"))));
        history.add(Map.entry(event(userId + "-3", "t", 3), new Write.FieldUpdate("users", userId,
                Map.of("isActive", false, "deactivationReason", "left"))));
        history.add(Map.entry(event(userId + "-4", "t", 4), new Write.FieldUpdate("users", userId, Map.of("email", "c@x"))));
        history.add(Map.entry(event(userId + "-5", "t", 5), new Write.FieldUpdate("users", userId,
                Map.of("deleted", true, "isActive", false))));
        return history;
    }

    /** The user's document after its history applied in event-time order, without _id: what every order must give. */
    private static Document inEventTimeOrder(String userId) {
        userHistory(userId).forEach(e -> writer.apply(e.getKey(), e.getValue()));
        Document expected = visible("users", userId);
        expected.remove("_id");
        return expected;
    }

    private static Document visible(String collection, String id) {
        Document document = client.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
        document.remove("_sync");
        return document;
    }

    @Test
    void everyOrderOfAUsersEventsGivesTheEventTimeOrderResult() {
        Document expected = inEventTimeOrder("ordered");

        Random random = new Random(42);
        for (int round = 0; round < 30; round++) {
            String userId = "shuffled-" + round;
            List<Map.Entry<CanonicalEvent, Write>> shuffled = new ArrayList<>(userHistory(userId));
            Collections.shuffle(shuffled, random);
            shuffled.forEach(e -> writer.apply(e.getKey(), e.getValue()));
            Document actual = visible("users", userId);
            actual.remove("_id");
            assertThat(actual).as("order %s", shuffled.stream().map(e -> e.getKey().id()).toList()).isEqualTo(expected);
        }
    }

    @Test
    void twoInstancesTakingTurnsOnADocumentEachNoticeTheOthersWritesThroughTheGuard() {
        Document expected = inEventTimeOrder("turns-reference");

        // each writer remembers the state it wrote last; every other write finds that state moved on
        EventWriter other = new EventWriter(new io.crmsync.stores.mongodb.Collections(client.getDatabase("crm"), Map.of()));
        List<Map.Entry<CanonicalEvent, Write>> history = userHistory("turns");
        Collections.shuffle(history, new Random(11));
        for (int i = 0; i < history.size(); i++) {
            (i % 2 == 0 ? writer : other).apply(history.get(i).getKey(), history.get(i).getValue());
        }

        Document actual = visible("users", "turns");
        actual.remove("_id");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void anEventRedeliveredAfterItsDocumentWasDeletedByHandWritesItAgain() {
        CanonicalEvent created = event("hand-1", "t", 5);
        Write write = new Write.FieldUpdate("users", "by-hand", Map.of("email", "e@x", "name", "N"));
        writer.apply(created, write);
        client.getDatabase("crm").getCollection("users").deleteOne(Filters.eq("_id", "by-hand"));

        writer.apply(created, write);

        assertThat(visible("users", "by-hand")).containsEntry("email", "e@x").containsEntry("name", "N");
    }

    @Test
    void anOlderEventAfterADeleteByHandWritesWhatIsMissingNowNotWhatWasRemembered() {
        writer.apply(event("hand-new", "t", 5), new Write.FieldUpdate("users", "by-hand-2", Map.of("email", "new@x")));
        client.getDatabase("crm").getCollection("users").deleteOne(Filters.eq("_id", "by-hand-2"));

        // the remembered stamps say email is newer than this event; the document says there is no email any more
        writer.apply(event("hand-old", "t", 3), new Write.FieldUpdate("users", "by-hand-2", Map.of("email", "old@x", "name", "O")));

        assertThat(visible("users", "by-hand-2")).containsEntry("email", "old@x").containsEntry("name", "O");
    }

    @Test
    void concurrentWritersWithDuplicatesConvergeToTheEventTimeOrderResult() throws Exception {
        Document expected = inEventTimeOrder("reference");

        List<Map.Entry<CanonicalEvent, Write>> work = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            work.addAll(userHistory("raced"));
        }
        Collections.shuffle(work, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (var e : work) {
                futures.add(pool.submit(() -> writer.apply(e.getKey(), e.getValue())));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Document actual = visible("users", "raced");
        actual.remove("_id");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void concurrentCreditMovementsDeliveredTwiceSumExactly() throws Exception {
        // several wallets, because a lost race shows only now and then
        for (int round = 0; round < 5; round++) {
            String wallet = "wallet-" + round;
            List<Runnable> work = new ArrayList<>();
            BigDecimal expected = BigDecimal.ZERO;
            for (int i = 0; i < 60; i++) {
                BigDecimal amount = new BigDecimal(i % 3 == 0 ? "-2.25" : "10.10");
                expected = expected.add(amount);
                CanonicalEvent event = event(wallet + "-credit-" + i, "t", i);
                Write write = movement(wallet, amount, "op-" + i);
                work.add(() -> writer.apply(event, write));
                work.add(() -> writer.apply(event, write)); // a redelivery
            }
            Collections.shuffle(work, new Random(round));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = work.stream().<Future<?>>map(pool::submit).toList();
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            Document balance = balances().find(Filters.eq("_id", "t:" + wallet)).first();
            assertThat(((Decimal128) balance.get("balance")).bigDecimalValue()).as(wallet).isEqualByComparingTo(expected);
            assertThat(balance.get("entries", Number.class).longValue()).isEqualTo(60);
            assertThat(ledger().countDocuments(Filters.eq("entityId", wallet))).isEqualTo(60);
            assertThat(balance.get("_sync", Document.class).getList("folding", String.class)).isEmpty();
            assertThat(ledger().countDocuments(Filters.and(Filters.eq("entityId", wallet), Filters.eq("folded", true)))).isEqualTo(60);
        }
    }

    @Test
    void shuffledBatchesWrittenConcurrentlyConvergeToTheEventTimeOrderResult() throws Exception {
        Document expected = inEventTimeOrder("batch-reference");

        List<Map.Entry<CanonicalEvent, Write>> work = new ArrayList<>();
        for (int user = 0; user < 20; user++) {
            for (int copy = 0; copy < 2; copy++) {
                work.addAll(userHistory("batched-" + user));
            }
        }
        Collections.shuffle(work, new Random(11));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < work.size(); from += 25) {
                List<Map.Entry<CanonicalEvent, Write>> batch = work.subList(from, Math.min(from + 25, work.size()));
                futures.add(pool.submit(() -> writer.applyAll(batch.stream()
                        .map(e -> new EventWriter.Request(e.getKey(), e.getValue(), failOnError())).toList())));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int user = 0; user < 20; user++) {
            Document actual = visible("users", "batched-" + user);
            actual.remove("_id");
            assertThat(actual).as("batched-%d", user).isEqualTo(expected);
        }
    }

    @Test
    void aMovementInterruptedAfterItsFoldIsNotCountedTwice() {
        CanonicalEvent event = event("fold-crash", "t", 1);
        Write write = movement("fold-wallet", new BigDecimal("5"), "op-1");
        writer.apply(event, write);
        // the state a crash between the fold and the mark leaves behind
        ledger().updateOne(Filters.eq("_id", "fold-crash"), new Document("$set", new Document("folded", false)));
        balances().updateOne(Filters.eq("_id", "t:fold-wallet"), new Document("$push", new Document("_sync.folding", "fold-crash")));

        writer.apply(event, write); // its redelivery

        Document balance = balances().find(Filters.eq("_id", "t:fold-wallet")).first();
        assertThat(((Decimal128) balance.get("balance")).bigDecimalValue()).isEqualByComparingTo("5");
        assertThat(balance.get("_sync", Document.class).getList("folding", String.class)).isEmpty();
        assertThat(ledger().find(Filters.eq("_id", "fold-crash")).first().getBoolean("folded")).isTrue();
    }

    @Test
    void aMovementInterruptedBeforeItsFoldIsCountedOnce() {
        writer.apply(event("first", "t", 1), movement("late-wallet", new BigDecimal("1"), "op-1"));
        CanonicalEvent event = event("recorded-only", "t", 2);
        Write write = movement("late-wallet", new BigDecimal("7.5"), "op-2");
        // the state a crash between the ledger insert and the fold leaves behind
        ledger().insertOne(new Document("_id", "recorded-only").append("tenantId", "t").append("entityId", "late-wallet")
                .append("amount", new Decimal128(new BigDecimal("7.5"))).append("folded", false));

        writer.apply(event, write); // its redelivery

        Document balance = balances().find(Filters.eq("_id", "t:late-wallet")).first();
        assertThat(((Decimal128) balance.get("balance")).bigDecimalValue()).isEqualByComparingTo("8.5");
        assertThat(balance.get("entries", Number.class).longValue()).isEqualTo(2);
    }

    @Test
    void aBatchOverSeveralCollectionsAndALedgerWritesEachOfThem() {
        List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
        writer.applyAll(List.of(
                new EventWriter.Request(event("many-user", "t", 1), new Write.FieldUpdate("users", "many-u",
                        Map.of("email", "m@x")), recordInto(results)),
                new EventWriter.Request(event("many-role", "t", 2), new Write.FieldUpdate("roles", "many-r",
                        Map.of("name", "admin")), recordInto(results)),
                new EventWriter.Request(event("many-credit", "t", 3), movement("many-c", BigDecimal.TEN, "op-many"),
                        recordInto(results))));

        assertThat(results).containsOnly(Outcome.PROCESSED).hasSize(3);
        assertThat(visible("users", "many-u").getString("email")).isEqualTo("m@x");
        assertThat(visible("roles", "many-r").getString("name")).isEqualTo("admin");
        assertThat(((Decimal128) balances().find(Filters.eq("_id", "t:many-c")).first().get("balance")).bigDecimalValue())
                .isEqualByComparingTo(BigDecimal.TEN);
    }

    @Test
    void aCollectionThatFailsFailsItsOwnEventsWithItsOwnErrorAndTheOthersAreWritten() {
        // an empty collection name is refused by the driver: one part of the batch fails, the other must not
        Object[] fine = new Object[1];
        Object[] broken = new Object[1];
        assertThatThrownBy(() -> writer.applyAll(List.of(
                new EventWriter.Request(event("part-fine", "t", 1), new Write.FieldUpdate("users", "part-u",
                        Map.of("email", "p@x")), Settle.of(value -> fine[0] = value, e -> fine[0] = e)),
                new EventWriter.Request(event("part-broken", "t", 2), new Write.FieldUpdate("", "part-b",
                        Map.of("email", "b@x")), Settle.of(value -> broken[0] = value, e -> broken[0] = e)))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(fine[0]).isEqualTo(Outcome.PROCESSED);
        assertThat(broken[0]).isInstanceOf(IllegalArgumentException.class);
        assertThat(visible("users", "part-u").getString("email")).isEqualTo("p@x");
    }

    @Test
    void anEventOfAnotherTenantFailsAloneInItsBatch() {
        writer.apply(event("owner", "tenant-a", 1), new Write.FieldUpdate("users", "shared-id", Map.of("email", "a@x")));
        List<Object> results = new ArrayList<>();
        writer.applyAll(List.of(
                new EventWriter.Request(event("intruder", "tenant-b", 2), new Write.FieldUpdate("users", "shared-id",
                        Map.of("email", "b@x")), recordInto(results)),
                new EventWriter.Request(event("neighbour", "tenant-b", 3), new Write.FieldUpdate("users", "other-id",
                        Map.of("email", "n@x")), recordInto(results))));

        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isInstanceOf(io.crmsync.core.event.EventRejectedException.class);
        assertThat(results.get(1)).isEqualTo(Outcome.PROCESSED);
        assertThat(visible("users", "shared-id").getString("email")).isEqualTo("a@x");
        assertThat(visible("users", "other-id").getString("email")).isEqualTo("n@x");
    }

    @Test
    void aValueTheDriverCannotEncodeFailsItsOwnEventAndNotItsBatch() {
        List<Object> results = new ArrayList<>();
        writer.applyAll(List.of(
                new EventWriter.Request(event("encodable", "t", 1), new Write.FieldUpdate("users", "fine-user",
                        Map.of("email", "fine@x")), recordInto(results)),
                new EventWriter.Request(event("unencodable", "t", 2), new Write.FieldUpdate("users", "odd-user",
                        Map.of("email", new Object())), recordInto(results))));

        assertThat(results).hasSize(2);
        assertThat(results).contains(Outcome.PROCESSED);
        assertThat(results).anySatisfy(r -> assertThat(r).isInstanceOf(org.bson.codecs.configuration.CodecConfigurationException.class));
        assertThat(visible("users", "fine-user").getString("email")).isEqualTo("fine@x");
    }

    @Test
    void aCreditEventIdAlreadyRecordedForAnotherEntityIsRejectedAndNotCounted() {
        writer.apply(event("reused-id", "t", 1), movement("first-wallet", BigDecimal.TEN, "op-1"));
        List<Object> results = new ArrayList<>();

        writer.applyAll(List.of(new EventWriter.Request(event("reused-id", "t", 2),
                movement("second-wallet", BigDecimal.ONE, "op-2"), recordInto(results))));

        assertThat(results).singleElement().isInstanceOfSatisfying(io.crmsync.core.event.EventRejectedException.class,
                e -> assertThat(e.reason().code()).isEqualTo("event-id-conflict"));
        assertThat(balances().find(Filters.eq("_id", "t:second-wallet")).first()).isNull();
        assertThat(((Decimal128) balances().find(Filters.eq("_id", "t:first-wallet")).first().get("balance")).bigDecimalValue())
                .isEqualByComparingTo("10");
    }

    /**
     * Decimal128 holds 34 digits: a movement whose sum would need 35 is refused at its fold, marked so, and never counted.
     * (Sums far apart, as mongo-java-server compares decimals as doubles and skips a $set to an "equal" one.)
     */
    @Test
    void aMovementWhoseBalanceCouldNotHoldTheSumIsRefusedAloneAndMarkedRefused() {
        writer.apply(event("big-1", "t", 1), movement("big-wallet", new BigDecimal("1E+33"), "op-1"));
        List<Object> results = new ArrayList<>();

        writer.applyAll(List.of(
                new EventWriter.Request(event("big-2", "t", 2), movement("big-wallet", new BigDecimal("2E+32"), "op-2"), recordInto(results)),
                new EventWriter.Request(event("big-3", "t", 3), movement("big-wallet", new BigDecimal("0.5"), "op-3"), recordInto(results)),
                new EventWriter.Request(event("big-4", "t", 4), movement("big-wallet", new BigDecimal("-5E+32"), "op-4"), recordInto(results))));

        // in batch order: 2E+32 fits (1.2E+33), 0.5 would need 35 digits, -5E+32 fits (7E+32)
        assertThat(results.get(0)).isEqualTo(Outcome.PROCESSED);
        assertThat(results.get(1)).isInstanceOfSatisfying(io.crmsync.core.event.EventRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(io.crmsync.core.event.RejectReason.INVALID_FIELD);
            assertThat(e.getMessage()).isEqualTo("credit event big-3 (amount 0.5) would take balance t:big-wallet beyond what "
                    + "a decimal holds exactly: refused, and left out of the balance");
        });
        assertThat(results.get(2)).isEqualTo(Outcome.PROCESSED);
        assertThat(balanceOf("big-wallet")).isEqualByComparingTo("7E+32");
        Document refused = ledger().find(Filters.eq("_id", "big-3")).first();
        assertThat(refused.get("refused")).isEqualTo(true);
        assertThat(refused.get("folded")).isEqualTo(false);
        assertThat(balances().find(Filters.eq("_id", "t:big-wallet")).first().get("_sync", Document.class)
                .getList("refusing", String.class)).isEmpty();
    }

    @Test
    void aRefusedMovementRedeliveredIsRefusedAgainWithTheSameReasonAndNeverFolded() {
        writer.apply(event("full-1", "t", 1), movement("full-wallet", new BigDecimal("1E+33"), "op-1"));
        CanonicalEvent event = event("full-2", "t", 2);
        Write write = movement("full-wallet", new BigDecimal("0.1"), "op-2");
        Throwable first = catchThrowable(() -> writer.apply(event, write));
        // a consumption makes room (9E+32 + 0.1 fits in 34 digits); the refused movement must still never count
        writer.apply(event("full-3", "t", 3), movement("full-wallet", new BigDecimal("-1E+32"), "op-3"));

        Throwable again = catchThrowable(() -> writer.apply(event, write));
        writer.reconcileLedgers(java.time.Duration.ZERO);

        assertThat(again).isInstanceOf(io.crmsync.core.event.EventRejectedException.class).hasMessage(first.getMessage());
        assertThat(balanceOf("full-wallet")).isEqualByComparingTo("9E+32");
        assertThat(balances().find(Filters.eq("_id", "t:full-wallet")).first().get("entries", Number.class).longValue()).isEqualTo(2);
        assertThatThrownBy(() -> writer.verify(event, write)).isInstanceOf(io.crmsync.core.event.EventRejectedException.class)
                .hasMessage(first.getMessage());
        assertThat(writer.verify(event("full-3", "t", 3), movement("full-wallet", new BigDecimal("-1E+32"), "op-3")).state())
                .isEqualTo(io.crmsync.core.write.Verdict.State.UP_TO_DATE);
    }

    @Test
    void aRefusalInterruptedBeforeItsMarkIsStillARefusalForEveryReader() {
        writer.apply(event("cut-1", "t", 1), movement("cut-wallet", new BigDecimal("1E+33"), "op-1"));
        CanonicalEvent event = event("cut-2", "t", 2);
        Write write = movement("cut-wallet", new BigDecimal("0.1"), "op-2");
        catchThrowable(() -> writer.apply(event, write));
        writer.apply(event("cut-3", "t", 3), movement("cut-wallet", new BigDecimal("-1E+32"), "op-3"));
        // the state a crash between the refusal's compare-and-set and its mark leaves behind, with room made since
        ledger().updateOne(Filters.eq("_id", "cut-2"), new Document("$unset", new Document("refused", "")));
        balances().updateOne(Filters.eq("_id", "t:cut-wallet"), new Document("$push", new Document("_sync.refusing", "cut-2")));

        int reconciled = writer.reconcileLedgers(java.time.Duration.ZERO);
        Throwable redelivered = catchThrowable(() -> writer.apply(event, write));

        assertThat(reconciled).isPositive(); // other tests' young entries are old by now
        assertThat(redelivered).isInstanceOf(io.crmsync.core.event.EventRejectedException.class);
        assertThat(balanceOf("cut-wallet")).isEqualByComparingTo("9E+32");
        assertThat(ledger().find(Filters.eq("_id", "cut-2")).first().get("refused")).isEqualTo(true);
        assertThat(balances().find(Filters.eq("_id", "t:cut-wallet")).first().get("_sync", Document.class)
                .getList("refusing", String.class)).isEmpty();
    }

    @Test
    void ledgerEntriesRecordTheirTimeAsADateAndTheReconcilerFoldsOldOnesOfEitherForm() {
        writer.apply(event("dated-1", "t", 1), movement("dated-wallet", BigDecimal.ONE, "op-1"));
        assertThat(ledger().find(Filters.eq("_id", "dated-1")).first().get("recordedAt")).isInstanceOf(java.util.Date.class);
        java.util.Date old = java.util.Date.from(Instant.now().minusSeconds(3600));
        ledger().insertOne(new Document("_id", "dated-old").append("tenantId", "t").append("entityId", "dated-wallet")
                .append("amount", new Decimal128(new BigDecimal("2"))).append("folded", false).append("recordedAt", old));
        ledger().insertOne(new Document("_id", "dated-text").append("tenantId", "t").append("entityId", "dated-wallet")
                .append("amount", new Decimal128(new BigDecimal("4"))).append("folded", false)
                .append("recordedAt", "2024-01-15T10:00:05Z"));
        ledger().insertOne(new Document("_id", "dated-young").append("tenantId", "t").append("entityId", "dated-wallet")
                .append("amount", new Decimal128(new BigDecimal("8"))).append("folded", false).append("recordedAt", new java.util.Date()));

        int reconciled = writer.reconcileLedgers(java.time.Duration.ofMinutes(5));

        assertThat(reconciled).isEqualTo(2);
        assertThat(balanceOf("dated-wallet")).isEqualByComparingTo("7");
        assertThat(ledger().find(Filters.eq("_id", "dated-young")).first().get("folded")).isEqualTo(false);
    }

    private static BigDecimal balanceOf(String wallet) {
        return ((Decimal128) balances().find(Filters.eq("_id", "t:" + wallet)).first().get("balance")).bigDecimalValue();
    }

    private static com.mongodb.client.MongoCollection<Document> ledger() {
        return client.getDatabase("crm").getCollection("creditLedger");
    }

    private static com.mongodb.client.MongoCollection<Document> balances() {
        return client.getDatabase("crm").getCollection("creditBalances");
    }

    private static Settle<Outcome> failOnError() {
        return Settle.of(value -> { }, failure -> {
            throw new AssertionError("write failed", failure);
        });
    }

    private static Settle<Outcome> recordInto(List<Object> results) {
        return Settle.of(results::add, results::add);
    }

    /** A movement as the shipped credit mappings make it. */
    private static Write movement(String entityId, java.math.BigDecimal amount, String operationId) {
        return new Write.CreditMovement("creditLedger", "creditBalances", entityId, amount,
                io.crmsync.core.write.ValueType.DECIMAL, Map.of("userId", "u", "operationType", "op", "operationId", operationId));
    }
}
