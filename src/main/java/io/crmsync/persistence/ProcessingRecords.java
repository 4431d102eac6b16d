package io.crmsync.persistence;

import java.time.Instant;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * {@code eventProcessingRecords}: one document per stream entry saying what became of it (CONTRACT.md section 3).
 */
public class ProcessingRecords {

    private final Collections collections;
    private final boolean enabled;

    public ProcessingRecords(Collections collections, boolean enabled) {
        this.collections = collections;
        this.enabled = enabled;
    }

    /**
     * @param origin   {@code <stream>/<entry id>}
     * @param attempts deliveries so far, this one included
     * @param error    null unless dead-lettered
     */
    public void record(String origin, String eventId, String eventType, String tenantId, Outcome outcome, long attempts,
            String error) {
        if (!enabled) {
            return;
        }
        collections.get("eventProcessingRecords").updateOne(Filters.eq("_id", origin),
                Updates.combine(Updates.set("eventId", eventId), Updates.set("eventType", eventType),
                        Updates.set("tenantId", tenantId), Updates.set("status", outcome.status()),
                        Updates.set("attempts", attempts), Updates.set("error", error),
                        Updates.set("processedAt", Instant.now().toString())),
                new UpdateOptions().upsert(true));
    }
}
