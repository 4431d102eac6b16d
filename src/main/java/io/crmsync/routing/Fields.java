package io.crmsync.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.event.CanonicalEvent;

/**
 * Builds the field map of a document write: values as sent, nulls left out so an event that does not carry a field
 * does not erase it.
 */
final class Fields {

    private final Map<String, Object> values = new LinkedHashMap<>();

    static Fields of() {
        return new Fields();
    }

    /** Every data field as sent, less the keys that identify the document rather than describe it. */
    static Fields data(CanonicalEvent event, String... identityKeys) {
        Fields fields = new Fields();
        event.data().forEach(fields::put);
        for (String key : identityKeys) {
            fields.values.remove(key);
        }
        // identity of the event and fence of the write, not attributes of the document
        fields.values.remove("tenantId");
        fields.values.remove("eventId");
        return fields;
    }

    Fields put(String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
        return this;
    }

    /** Copies a data value under another name, when the event uses the other spelling. */
    Fields alias(CanonicalEvent event, String target, String... sources) {
        if (!values.containsKey(target)) {
            for (String source : sources) {
                String value = event.text(source);
                if (value != null) {
                    values.put(target, value);
                    break;
                }
            }
        }
        return this;
    }

    Fields putIfAbsent(String key, Object value) {
        if (value != null) {
            values.putIfAbsent(key, value);
        }
        return this;
    }

    Map<String, Object> map() {
        return values;
    }
}
