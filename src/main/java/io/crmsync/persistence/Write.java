package io.crmsync.persistence;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What an event asks of the store, independent of which store: the routing stage produces one, a writer applies it.
 */
public sealed interface Write {

    /**
     * Set these fields of one document, each only where this event is newer than the value's last writer.
     *
     * @param collection logical collection name (mapped to the configured one)
     */
    record FieldUpdate(String collection, String id, Map<String, Object> fields) implements Write {
    }

    /** One signed movement of an entity's credit balance. */
    record CreditMovement(String entityId, String userId, BigDecimal amount, String operationType,
            String operationId) implements Write {
    }

    /** The event needs no write (for example, it is addressed to another application). */
    record Skip(String why) implements Write {
    }
}
