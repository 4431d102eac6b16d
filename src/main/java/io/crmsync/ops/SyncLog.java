package io.crmsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.crmsync.persistence.Collections;
import org.bson.conversions.Bson;

/**
 * The sync log of one entity (an agent's uid, a user's id): every applied, stale, skipped or dead-lettered event that
 * named it, newest first, from its processing records.
 */
public class SyncLog {

    public static final int MAX_LIMIT = 1000;

    private final Collections collections;

    SyncLog(Collections collections) {
        this.collections = collections;
    }

    /** The latest records of every entity, newest first: what the console shows as recent activity. */
    public List<Map<String, Object>> recent(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return collections.get("eventProcessingRecords").find().sort(Sorts.descending("processedAt")).limit(limit)
                .map(document -> (Map<String, Object>) document).into(new ArrayList<>());
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
                .map(document -> (Map<String, Object>) document).into(new ArrayList<>());
    }
}
