package io.crmsync.routetest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.crmsync.core.event.EventParser;
import io.crmsync.core.write.ValueType;
import io.crmsync.stores.mongodb.Collections;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

/**
 * Runs route tests against the running app: each test starts from empty collections, inserts its given documents,
 * publishes its entries one at a time, each once the one before has a processing record, then compares what a user
 * would look at (the documents, the dead-letter stream and the records) with what it expects.
 */
final class RouteTestRunner {

    private final MongoDatabase database;
    private final Collections collections;
    private final RedisCommands<String, String> redis;
    private final String deadLetterStream;
    private final Duration timeout;

    /** @param collections the app's: a test names collections as the contract does, crm.collections maps them */
    RouteTestRunner(Collections collections, RedisCommands<String, String> redis, String deadLetterStream, Duration timeout) {
        this.database = collections.database();
        this.collections = collections;
        this.redis = redis;
        this.deadLetterStream = deadLetterStream;
        this.timeout = timeout;
    }

    /** @return what differs from the expectation, one line each; empty when the test passes */
    List<String> run(RouteTest test) throws InterruptedException {
        for (String collection : database.listCollectionNames()) {
            database.getCollection(collection).deleteMany(new Document());
        }
        test.given().forEach((collection, documents) -> documents.forEach(d -> collections.get(collection)
                .insertOne(new Document(d))));
        // One entry at a time: entries on different streams are consumed concurrently, and an outcome such as
        // stale depends on which came first, so the order a test writes is the order the app consumes.
        List<String> origins = new ArrayList<>();
        List<Document> records = new ArrayList<>();
        for (RouteTest.Entry entry : test.entries()) {
            String origin = entry.stream() + "/" + redis.xadd(entry.stream(), entry.fields());
            origins.add(origin);
            records.add(awaitRecord(origin));
        }
        List<String> failures = new ArrayList<>();
        awaitDeadLetters(origins, records);
        for (int i = 0; i < origins.size(); i++) {
            Document record = records.get(i);
            if (record == null) {
                failures.add("entry " + (i + 1) + " (" + origins.get(i) + ") has no processing record after " + timeout.toSeconds()
                        + " s: it is still pending (see the app's log)");
            } else if (!test.outcomes().isEmpty() && !test.outcomes().get(i).equals(record.getString("status"))) {
                failures.add("entry " + (i + 1) + " is " + record.getString("status") + ", expected " + test.outcomes().get(i)
                        + (record.getString("error") != null ? " (" + record.getString("error") + ")" : ""));
            }
        }
        test.documents().forEach((collection, expected) -> expected.forEach(document ->
                compareDocument(collection, document, failures)));
        compareDeadLetters(test, origins, failures);
        return failures;
    }

    /** The entry's processing record, or null when it has none within the timeout. */
    private Document awaitRecord(String origin) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Document record = collections.get("eventProcessingRecords").find(Filters.eq("_id", origin)).first();
            if (record != null || Instant.now().isAfter(deadline)) {
                return record;
            }
            Thread.sleep(50);
        }
    }

    /** A dead letter's processing record is written just before its entry on the dead-letter stream: wait for both. */
    private void awaitDeadLetters(List<String> origins, List<Document> records) throws InterruptedException {
        long expected = records.stream().filter(r -> r != null && "deadlettered".equals(r.getString("status"))).count();
        Instant deadline = Instant.now().plus(timeout);
        while (deadLettersOf(origins).size() < expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    private void compareDocument(String collection, Map<String, Object> expected, List<String> failures) {
        Object id = expected.get("_id");
        Document actual = collections.get(collection).find(Filters.eq("_id", id)).first();
        if (actual == null) {
            failures.add(collection + "/" + id + " does not exist");
            return;
        }
        expected.forEach((field, value) -> {
            Object found = actual.get(field);
            if (!same(value, found)) {
                failures.add(collection + "/" + id + ": " + field + " is " + describe(found) + ", expected " + describe(value));
            }
        });
    }

    private void compareDeadLetters(RouteTest test, List<String> origins, List<String> failures) {
        List<Map<String, String>> actual = deadLettersOf(origins);
        for (RouteTest.DeadLetter expected : test.deadLetters()) {
            Map<String, String> match = actual.stream().filter(a -> expected.reason().equals(a.get("dlq.reason"))
                    && (expected.entry() == 0 || origins.get(expected.entry() - 1).equals(a.get("dlq.sourceStream") + "/" + a.get("dlq.sourceId")))
                    && (expected.error() == null || String.valueOf(a.get("dlq.error")).contains(expected.error())))
                    .findFirst().orElse(null);
            if (match == null) {
                failures.add("no dead letter " + expected.reason() + (expected.entry() > 0 ? " of entry " + expected.entry() : "")
                        + (expected.error() != null ? " with error containing '" + expected.error() + "'" : ""));
            } else {
                actual.remove(match);
            }
        }
        actual.forEach(a -> failures.add("unexpected dead letter of entry " + (origins.indexOf(a.get("dlq.sourceStream") + "/"
                + a.get("dlq.sourceId")) + 1) + ": " + a.get("dlq.reason") + ": " + a.get("dlq.error")));
    }

    private List<Map<String, String>> deadLettersOf(List<String> origins) {
        List<Map<String, String>> found = new ArrayList<>();
        for (StreamMessage<String, String> letter : redis.xrange(deadLetterStream, Range.create("-", "+"))) {
            String origin = letter.getBody().get("dlq.sourceStream") + "/" + letter.getBody().get("dlq.sourceId");
            if (origins.contains(origin)) {
                found.add(letter.getBody());
            }
        }
        return found;
    }

    /** Equal as a user reads them: numbers by value (500 is 500.00), dates by instant, maps and lists deeply. */
    static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected instanceof Number || actual instanceof Number || actual instanceof org.bson.types.Decimal128) {
            try {
                return ValueType.decimal(expected).compareTo(ValueType.decimal(actual)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (actual instanceof Date date) {
            try {
                return EventParser.parseTime(expected.toString()).equals(date.toInstant());
            } catch (RuntimeException e) {
                return false;
            }
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            return e.size() == a.size() && e.entrySet().stream().allMatch(x -> same(x.getValue(), a.get(x.getKey())));
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.toString().equals(actual.toString()) && !(expected instanceof Boolean ^ actual instanceof Boolean);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "absent";
        }
        if (value instanceof Date date) {
            return "the date " + date.toInstant();
        }
        if (value instanceof BigDecimal || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
