package io.crmsync.ops;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.IndexSetup;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The sync log of one entity (an agent's uid, a user's id): every applied, stale, skipped or dead-lettered event that
 * named it, newest first, from its processing records.
 */
public class SyncLog {

    public static final int MAX_LIMIT = 1000;

    private final Collections collections;
    // the console asks for the recent records every few seconds: without an index, each time a sort of them all
    private final IndexSetup.Once indexed = new IndexSetup.Once();

    SyncLog(Collections collections) {
        this.collections = collections;
    }

    /** The latest records of every entity, newest first: what the console shows as recent activity. */
    public List<Map<String, Object>> recent(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        indexed.run("recent", () -> {
            if (!IndexSetup.lacksQueryPlanner(collections)) {
                IndexSetup.recentRecords(collections);
            }
        });
        return collections.get("eventProcessingRecords").find().sort(Sorts.descending("processedAt")).limit(limit)
                .map(SyncLog::shown).into(new ArrayList<>());
    }

    /**
     * A record as the ops tools show it: {@code processedAt} is a BSON date, so that it sorts as a time; the console,
     * the endpoint and the CLI show it as ISO-8601 text, as they did when it was stored as text.
     */
    private static Map<String, Object> shown(Document record) {
        if (record.get("processedAt") instanceof Date at) {
            record.put("processedAt", at.toInstant().toString());
        }
        return record;
    }

    public List<Map<String, Object>> of(String entityKey, String tenantId, int limit) {
        if (entityKey == null || entityKey.isBlank()) {
            throw new IllegalArgumentException("key is required: the entity's key, such as an agent's uid");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        Bson filter = tenantId == null ? Filters.eq("entityKey", entityKey)
                : Filters.and(Filters.eq("entityKey", entityKey), Filters.eq("tenantId", tenantId));
        return collections.get("eventProcessingRecords").find(filter).sort(Sorts.descending("processedAt")).limit(limit)
                .map(SyncLog::shown).into(new ArrayList<>());
    }
}
