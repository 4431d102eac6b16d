package io.crmsync.stores.mongodb.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Settle;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.EventWriter;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances deciding the same movement from different reads of its balance: one would refuse it, the other fold
 * it. Only the decision whose compare-and-set lands counts, and every delivery then reports that one.
 */
class LedgerRacesIT {

    private static EmbeddedMongo server;
    private static MongoClient client;
    private static int databases;

    @BeforeAll
    static void start() {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.uri("crm"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void aRefusalMadeOnAStaleReadLosesToTheFoldThatLandedFirst() {
        MongoDatabase database = client.getDatabase("races" + ++databases);
        FaultyDatabase first = new FaultyDatabase();
        EventWriter refusing = new EventWriter(new Collections(first.wrap(database), Map.of()));
        EventWriter folding = new EventWriter(new Collections(database, Map.of()));
        folding.apply(event("full", 1), movement(new BigDecimal("1E+33")));
        List<Object> refusingOutcome = new ArrayList<>();
        List<Object> foldingOutcomes = new ArrayList<>();

        // the first instance reads 1E+33 and records the 0.5; before its decision lands, the second instance makes room
        // with -5E+32 and, from its own read, folds the 0.5 too (a redelivery of it)
        first.interleaveAfter(1, () -> folding.applyAll(List.of(
                new EventWriter.Request(event("room", 3), movement(new BigDecimal("-5E+32")), into(foldingOutcomes)),
                new EventWriter.Request(event("half", 2), movement(new BigDecimal("0.5")), into(foldingOutcomes)))));
        refusing.applyAll(List.of(new EventWriter.Request(event("half", 2), movement(new BigDecimal("0.5")), into(refusingOutcome))));

        assertThat(foldingOutcomes).containsExactly(Outcome.PROCESSED, Outcome.PROCESSED);
        assertThat(refusingOutcome).containsExactly(Outcome.PROCESSED);
        Document entry = database.getCollection("creditLedger").find(Filters.eq("_id", "half")).first();
        assertThat(entry.get("folded")).isEqualTo(true);
        assertThat(entry.get("refused")).isNull();
        assertThat(balance(database)).isEqualByComparingTo("500000000000000000000000000000000.5");
    }

    @Test
    void aFoldMadeOnAStaleReadLosesToTheRefusalThatLandedFirst() {
        MongoDatabase database = client.getDatabase("races" + ++databases);
        FaultyDatabase first = new FaultyDatabase();
        EventWriter foldingLate = new EventWriter(new Collections(first.wrap(database), Map.of()));
        EventWriter refusingFirst = new EventWriter(new Collections(database, Map.of()));
        foldingLate.apply(event("full", 1), movement(new BigDecimal("1E+33")));
        List<Object> lateOutcomes = new ArrayList<>();
        List<Object> firstOutcome = new ArrayList<>();

        // the first instance would fold -5E+32 then 0.5; before its decision lands, the second refuses the 0.5 alone
        first.interleaveAfter(1, () -> refusingFirst.applyAll(List.of(
                new EventWriter.Request(event("half", 2), movement(new BigDecimal("0.5")), into(firstOutcome)))));
        foldingLate.applyAll(List.of(
                new EventWriter.Request(event("room", 3), movement(new BigDecimal("-5E+32")), into(lateOutcomes)),
                new EventWriter.Request(event("half", 2), movement(new BigDecimal("0.5")), into(lateOutcomes))));

        assertThat(firstOutcome).singleElement().isInstanceOf(EventRejectedException.class);
        assertThat(lateOutcomes.get(0)).isEqualTo(Outcome.PROCESSED);
        assertThat(lateOutcomes.get(1)).isInstanceOfSatisfying(EventRejectedException.class,
                e -> assertThat(e).hasMessage(((Throwable) firstOutcome.get(0)).getMessage()));
        Document entry = database.getCollection("creditLedger").find(Filters.eq("_id", "half")).first();
        assertThat(entry.get("refused")).isEqualTo(true);
        assertThat(entry.get("folded")).isEqualTo(false);
        assertThat(balance(database)).isEqualByComparingTo("5E+32");
    }

    private static BigDecimal balance(MongoDatabase database) {
        return ValueType.decimal(database.getCollection("creditBalances").find(Filters.eq("_id", "t:w")).first().get("balance"));
    }

    private static Settle<Outcome> into(List<Object> outcomes) {
        return Settle.of(outcomes::add, outcomes::add);
    }

    private static CanonicalEvent event(String id, long second) {
        return new CanonicalEvent(id, "credit.allocated", "t", null, null, Instant.ofEpochSecond(1_700_000_000L + second),
                Map.of(), Map.of(), "test", id, Map.of());
    }

    private static Write movement(BigDecimal amount) {
        return new Write.CreditMovement("creditLedger", "creditBalances", "w", amount, ValueType.DECIMAL, Map.of());
    }
}
