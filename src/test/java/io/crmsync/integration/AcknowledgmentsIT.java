package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgments stream (CONTRACT.md section 5).
 */
class AcknowledgmentsIT extends SyncITSupport {

    private Map<String, String> awaitAcknowledgment(String originalEventId) {
        return await().atMost(PROCESSING).until(() -> PUBLISHER.xrange("acknowledgments", Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> originalEventId.equals(b.get("originalEventId"))).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    @Test
    void processedEventIsAcknowledgedAsProcessed() throws Exception {
        String entryId = publish("crm:sync:user:user_created", fields("eventId", tenant + "-ack1", "eventType", "user_created",
                "tenantId", tenant, "entityId", tenant + "-u1", "data", "{\"email\":\"a@b.c\"}"));

        Map<String, String> ack = awaitAcknowledgment(tenant + "-ack1");
        assertThat(ack).containsEntry("status", "processed").containsEntry("source", "crm").containsKeys("acknowledgmentId", "timestamp");
        Map<String, Object> data = new ObjectMapper().readValue(ack.get("acknowledgmentData"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(data).containsEntry("processedBy", "it-consumer").containsEntry("eventType", "user.created")
                .containsEntry("stream", "crm:sync:user:user_created").containsEntry("entryId", entryId);
    }

    @Test
    void deadLetteredEventIsAcknowledgedAsFailed() {
        publish("crm:sync:user:user_created", fields("eventId", tenant + "-ack2", "eventType", "user_created",
                "tenantId", tenant, "data", "{broken"));

        assertThat(awaitAcknowledgment(tenant + "-ack2")).containsEntry("status", "failed");
    }
}
