package io.crmsync.routetest;

import java.util.List;
import java.util.Map;

/**
 * One route test of a {@code *.test.yaml}: entries published in order, then what the stores must hold.
 *
 * @param name        what the test shows, as reported
 * @param origin      {@code file:line} of the test
 * @param given       documents inserted before the entries, by collection
 * @param entries     stream entries, published in this order
 * @param documents   expected documents by collection: each names its {@code _id} and the fields it must have
 * @param deadLetters expected dead letters; any other dead letter of the test's entries fails it
 * @param outcomes    expected processing status of each entry, in entry order; empty when not checked
 */
record RouteTest(String name, String origin, Map<String, List<Map<String, Object>>> given, List<Entry> entries,
        Map<String, List<Map<String, Object>>> documents, List<DeadLetter> deadLetters, List<String> outcomes) {

    /** One entry to publish: its stream and fields (a map or list value is sent as its JSON text). */
    record Entry(String stream, Map<String, String> fields) {
    }

    /**
     * @param entry 1-based index of the entry it comes from, 0 for any
     * @param reason the {@code dlq.reason} it must have
     * @param error  text its {@code dlq.error} must contain, or null
     */
    record DeadLetter(int entry, String reason, String error) {
    }
}
