package io.crmsync.core.outcome;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;

/**
 * Appends to the {@code acknowledgments} stream (CONTRACT.md section 5) through the redis-streams producer.
 */
public class Acknowledgments {

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String endpointUri;
    private final String processedBy;
    private final boolean enabled;

    public Acknowledgments(ProducerTemplate producer, ObjectMapper json, String stream, String processedBy, boolean enabled) {
        this.producer = producer;
        this.json = json;
        this.endpointUri = "redis-streams:" + stream;
        this.processedBy = processedBy;
        this.enabled = enabled;
    }

    /**
     * @param processed true for processed (also stale and skipped: the event was dealt with), false for failed
     * @param details   extra keys for acknowledgmentData, such as outcome or reason
     */
    public void append(String originalEventId, boolean processed, String eventType, String stream, String entryId,
            Map<String, Object> details) {
        if (enabled) {
            producer.sendBody(endpointUri, entry(originalEventId, processed, eventType, stream, entryId, details));
        }
    }

    /**
     * Several acknowledgments in one pipelined round trip, in list order, sent without waiting: the returned future
     * completes once they are appended, or with the failure.
     */
    public CompletableFuture<?> appendAll(List<Map<String, String>> entries) {
        if (!enabled || entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return producer.asyncSendBody(endpointUri, entries);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The stream entry of one acknowledgment, for {@link #appendAll}. */
    public Map<String, String> entry(String originalEventId, boolean processed, String eventType, String stream,
            String entryId, Map<String, Object> details) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("processedBy", processedBy);
        data.put("eventType", eventType);
        data.put("stream", stream);
        data.put("entryId", entryId);
        data.putAll(details);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("acknowledgmentId", UUID.randomUUID().toString());
        entry.put("originalEventId", originalEventId);
        entry.put("status", processed ? "processed" : "failed");
        entry.put("timestamp", Instant.now().toString());
        entry.put("source", "crm");
        try {
            entry.put("acknowledgmentData", json.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("acknowledgment data of " + originalEventId + " is not serialisable", e);
        }
        return entry;
    }
}
