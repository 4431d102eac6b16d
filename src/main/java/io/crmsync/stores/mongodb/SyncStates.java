package io.crmsync.stores.mongodb;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;

/**
 * The tenant and {@code _sync} state (revision and stamps) of the documents this instance wrote last, so a write to
 * one of them needs no read first: a batch reads only the documents it does not know. Nothing here is trusted
 * beyond a hint. The write is still guarded by the revision, so when another instance (or a hand edit) moved the
 * document on, the guard fails, the entry is dropped, and the next round reads the document as before.
 * <p>
 * Least recently used entries go first. An entry is the state alone, not the document, but its stamps are strings of
 * about 70 characters per field: some 2.5 KB for a user, so {@value #CAPACITY} take about 10 MB. 20,000 took 50 MB
 * and brought full collections into the 1,000,000-entry backlog at -Xmx256m (docs/benchmarks.md).
 */
final class SyncStates {

    static final int CAPACITY = 4_096;

    private final Map<String, Document> states = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Document> eldest) {
            return size() > CAPACITY;
        }
    };

    /** {@code {tenantId, _sync}} of the document as this instance last wrote it, or null. */
    synchronized Document get(String collection, String id) {
        return states.get(key(collection, id));
    }

    synchronized void put(String collection, String id, Document state) {
        states.put(key(collection, id), state);
    }

    synchronized void forget(String collection, String id) {
        states.remove(key(collection, id));
    }

    private static String key(String collection, String id) {
        return collection + '\u0000' + id;
    }
}
