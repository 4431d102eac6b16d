package io.crmsync.core.write;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import io.crmsync.core.event.CanonicalEvent;

/**
 * What an event asks of the store, independent of which store: a mapping produces one, a writer applies it.
 */
public sealed interface Write {

    /**
     * Set these fields of one document, each only where this event is newer than the value's last writer.
     *
     * @param collection logical collection name (mapped to the configured one)
     * @param setOnce    fields whose earliest event's value is kept, such as {@code createdAt}: set on insert, and
     *                   by an older event consumed later, never by a newer one
     * @param tombstone  the event deletes the document (its tombstone fields are among {@code fields})
     */
    record FieldUpdate(String collection, String id, Map<String, Object> fields, Set<String> setOnce,
            boolean tombstone) implements Write {

        public FieldUpdate(String collection, String id, Map<String, Object> fields) {
            this(collection, id, fields, Set.of(), false);
        }
    }

    /**
     * One signed movement of an entity's credit balance.
     *
     * @param ledger     logical collection of the movements, keyed by event id
     * @param balances   logical collection of the balances, keyed by {@code tenantId:entityId}
     * @param amountType how amounts and balances are stored: {@link ValueType#DECIMAL}, {@link ValueType#LONG}, ...
     * @param fields     further fields of the ledger entry, such as {@code operationType}
     * @param entryId    the ledger entry's id, when not the event's id: a row's identity for a captured ledger table
     *                   ({@code wallet_ledger/<id>}), so every change of that row is the same movement
     */
    record CreditMovement(String ledger, String balances, String entityId, BigDecimal amount, ValueType amountType,
            Map<String, Object> fields, String entryId) implements Write {

        public CreditMovement(String ledger, String balances, String entityId, BigDecimal amount, ValueType amountType,
                Map<String, Object> fields) {
            this(ledger, balances, entityId, amount, amountType, fields, null);
        }

        /** The id of the ledger entry this movement is for a given event. */
        public String entryId(CanonicalEvent event) {
            return entryId != null ? entryId : event.id();
        }
    }

    /** The event needs no write (for example, it is addressed to another application). */
    record Skip(String why) implements Write {
    }
}
