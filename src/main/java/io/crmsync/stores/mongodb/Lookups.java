package io.crmsync.stores.mongodb;

import io.crmsync.core.mapping.Directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Finds the one document of a collection that a mapping's lookup names, within the event's tenant and never a
 * deleted one. Hits are cached for a short time, because a burst of events names the same few documents (an
 * assignment's organization); misses are not, so a retry sees a document that has just arrived.
 */
public class Lookups implements Directory {

    private record Cached(Document document, Instant expires) {
    }

    private final Collections collections;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    // each collection and key set gets its index once per run: creating an existing index is a round trip, and one
    // MongoDB refused is logged once (IndexSetup.create) rather than tried again by every event that looks it up
    private final IndexSetup.Once indexed = new IndexSetup.Once();
    private volatile Boolean secondaryIndexes;

    public Lookups(Collections collections, Duration ttl, Clock clock) {
        this.collections = collections;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @param collection logical collection name (mapped to the configured one)
     * @param match      field of the looked-up document to the value it must have
     * @return the document, or null when the tenant has none (or only a deleted one)
     */
    @Override
    public Document find(String tenantId, String collection, Map<String, Object> match) {
        String cacheKey = tenantId + "\0" + collection + "\0" + match;
        Instant now = clock.instant();
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.document();
        }
        ensureIndex(collection, match.keySet());
        Bson[] filters = new Bson[match.size() + 2];
        filters[0] = Filters.eq("tenantId", tenantId);
        int i = 1;
        for (Map.Entry<String, Object> field : match.entrySet()) {
            filters[i++] = Filters.eq(field.getKey(), field.getValue());
        }
        filters[i] = Filters.ne("deleted", true);
        Document found = collections.get(collection).find(Filters.and(filters)).first();
        if (found == null) {
            cache.remove(cacheKey);
            return null;
        }
        if (cache.size() > 10_000) {
            cache.clear(); // a crude bound: the working set is small, and a flush only costs lookups
        }
        cache.put(cacheKey, new Cached(found, now.plus(ttl)));
        return found;
    }

    @Override
    public String tenantOf(String collection, String key) {
        Document found = collections.get(collection).find(Filters.eq("_id", key))
                .projection(new Document("tenantId", 1)).first();
        return found == null ? null : found.getString("tenantId");
    }

    /** The index of a lookup of {@code collection} by {@code fields}: at start-up for the mappings, else at first use. */
    void ensureIndex(String collection, Set<String> fields) {
        if (fields.equals(Set.of("_id"))) {
            return;
        }
        indexed.run(collection + " " + fields, () -> {
            if (secondaryIndexes == null) {
                // mongo-java-server (the demo's and the tests' server) cannot build them, and says so at every start
                secondaryIndexes = !IndexSetup.lacksQueryPlanner(collections);
            }
            if (!secondaryIndexes) {
                return;
            }
            String[] keys = new String[fields.size() + 1];
            keys[0] = "tenantId";
            int i = 1;
            for (String field : fields) {
                keys[i++] = field;
            }
            IndexSetup.create(collections, collection, "crm_sync_lookup_" + String.join("_", fields),
                    Indexes.ascending(keys), new IndexOptions());
        });
    }
}
