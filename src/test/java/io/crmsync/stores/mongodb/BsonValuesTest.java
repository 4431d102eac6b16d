package io.crmsync.stores.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class BsonValuesTest {

    @Test
    void decimalsAndInstantsAreStoredAsDecimal128AndDatesAsBefore() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("credit", new BigDecimal("120.50"));
        fields.put("createdAt", Instant.parse("2024-03-01T08:00:00Z"));
        fields.put("seats", 12);
        fields.put("cleared", null);
        fields.put("nested", Map.of("at", Instant.EPOCH, "amounts", List.of(new BigDecimal("1.5"))));

        Map<String, Object> stored = BsonValues.fields(fields);

        assertThat(stored.get("credit")).isEqualTo(new Decimal128(new BigDecimal("120.50")));
        assertThat(stored.get("createdAt")).isEqualTo(Date.from(Instant.parse("2024-03-01T08:00:00Z")));
        assertThat(stored.get("seats")).isEqualTo(12);
        assertThat(stored).containsEntry("cleared", null);
        assertThat(stored.get("nested")).isEqualTo(Map.of("at", new Date(0),
                "amounts", List.of(new Decimal128(new BigDecimal("1.5")))));
    }

    @Test
    void fieldsWithNothingToConvertAreTheSameMap() {
        Map<String, Object> fields = Map.of("name", "Ada", "tags", List.of("a"));

        assertThat(BsonValues.fields(fields)).isSameAs(fields);
    }
}
