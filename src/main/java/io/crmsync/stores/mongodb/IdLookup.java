package io.crmsync.stores.mongodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * Reads documents by {@code _id}, a batch's worth at once, in queries of at most {@value #CHUNK} ids. MongoDB would
 * take any number in one {@code $in}; mongo-java-server matches each candidate against the whole list, so one
 * {@code $in} of 1,000 ids costs four to five times as much there as five of 200 (measured).
 */
final class IdLookup {

    static final int CHUNK = 200;

    private IdLookup() {
    }

    static Map<String, Document> byId(MongoCollection<Document> collection, Collection<String> ids) {
        return byId(collection, ids, null);
    }

    /** @param projection the fields to read, or null for whole documents */
    static Map<String, Document> byId(MongoCollection<Document> collection, Collection<String> ids, Document projection) {
        Map<String, Document> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            collection.find(Filters.in("_id", all.subList(from, Math.min(all.size(), from + CHUNK))))
                    .projection(projection).forEach(d -> found.put(d.getString("_id"), d));
        }
        return found;
    }
}
