package io.crmsync.stores.mongodb;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.types.Decimal128;

/**
 * The mappings' plain values as MongoDB stores them: a BigDecimal as a Decimal128, an Instant as a date, within maps
 * and lists too; everything else as it is. The driver would encode both the same way; converting first keeps what
 * the writes compare and stamp the very values the documents hold.
 */
final class BsonValues {

    private BsonValues() {
    }

    /** The fields as stored: the same map when nothing needs converting (most events). */
    static Map<String, Object> fields(Map<String, Object> fields) {
        if (fields.values().stream().noneMatch(BsonValues::converts)) {
            return fields;
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        fields.forEach((name, value) -> stored.put(name, value(value)));
        return stored;
    }

    static Object value(Object value) {
        if (value instanceof BigDecimal decimal) {
            try {
                return new Decimal128(decimal);
            } catch (NumberFormatException | AssertionError e) {
                return decimal; // a copied number no Decimal128 holds: the write refuses it, for this event alone
            }
        }
        if (value instanceof Instant instant) {
            return Date.from(instant);
        }
        if (value instanceof Map<?, ?> map && map.values().stream().anyMatch(BsonValues::converts)) {
            Map<Object, Object> stored = new LinkedHashMap<>();
            map.forEach((k, v) -> stored.put(k, value(v)));
            return stored;
        }
        if (value instanceof List<?> list && list.stream().anyMatch(BsonValues::converts)) {
            List<Object> stored = new ArrayList<>(list.size());
            list.forEach(item -> stored.add(value(item)));
            return stored;
        }
        return value;
    }

    private static boolean converts(Object value) {
        return value instanceof BigDecimal || value instanceof Instant
                || value instanceof Map<?, ?> map && map.values().stream().anyMatch(BsonValues::converts)
                || value instanceof List<?> list && list.stream().anyMatch(BsonValues::converts);
    }
}
