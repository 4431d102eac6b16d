package io.crmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What a replay puts back on the source stream.
 */
class DeadLetterToolTest {

    private static DeadLetterEntry entry(String... originalFields) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < originalFields.length; i += 2) {
            fields.put(originalFields[i], originalFields[i + 1]);
        }
        fields.put("dlq.sourceStream", "credit-events");
        fields.put("dlq.sourceId", "1700000000000-3");
        fields.put("dlq.reason", "max-deliveries");
        return DeadLetterEntry.of("1700000000999-0", fields);
    }

    @Test
    void entryWithoutAnEventIdKeepsItsOriginalIdentityOnReplay() {
        Map<String, String> replayed = DeadLetterTool.withIdentity(entry("eventType", "credit.allocated", "amount", "5"));

        assertThat(replayed).containsEntry("eventId", "credit-events/1700000000000-3").containsEntry("amount", "5")
                .doesNotContainKeys("dlq.reason", "dlq.sourceStream");
    }

    @Test
    void entryWithAnEventIdAndATimestampIsReplayedAsItWas() {
        assertThat(DeadLetterTool.withIdentity(entry("eventId", "e1", "eventType", "credit.allocated", "timestamp", "2024-01-01T00:00:00Z")))
                .containsExactly(Map.entry("eventId", "e1"), Map.entry("eventType", "credit.allocated"),
                        Map.entry("timestamp", "2024-01-01T00:00:00Z"));
        assertThat(DeadLetterTool.withIdentity(entry("event", "{\"eventId\":\"e2\",\"eventType\":\"x\",\"timestamp\":\"t\"}")))
                .doesNotContainKeys("eventId", "timestamp");
    }

    @Test
    void entryWithoutATimestampKeepsItsSourceEntrysTimeOnReplay() {
        assertThat(DeadLetterTool.withIdentity(entry("eventId", "e1", "eventType", "credit.allocated")))
                .containsEntry("timestamp", "2023-11-14T22:13:20Z");
    }
}
