package io.crmsync.sources.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.core.event.EventParser;
import org.junit.jupiter.api.Test;

class RedisStreamEntriesTest {

    @Test
    void fieldsThatAreTextAlreadyAreReadWithoutACopy() {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("eventType", "user.created", "tenantId", "t1"));

        assertThat(EventParser.asText(fields)).isSameAs(fields);
    }

    @Test
    void fieldsOfOtherTypesBecomeText() {
        Map<Object, Object> fields = new LinkedHashMap<>();
        fields.put("eventType", "credit.allocated");
        fields.put("amount", 25);
        fields.put(7, "seven");

        assertThat(EventParser.asText(fields))
                .containsExactly(Map.entry("eventType", "credit.allocated"), Map.entry("amount", "25"), Map.entry("7", "seven"));
    }

    @Test
    void anEntryIdsFirstPartIsTheMillisecondItWasAppended() {
        assertThat(RedisStreamEntries.entryTime("1700000000123-4")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    }
}
