package io.crmsync.core.mapping;

import java.util.Map;

/**
 * Where a mapping's lookups find the record they name: MongoDB documents for {@code crm-mongodb:} endpoints, rows of
 * the same database for {@code crm-postgres:} ones. Always within the event's tenant.
 */
public interface Directory {

    /**
     * @param collection the collection or table named by the lookup
     * @param match      field or column of the looked-up record to the value it must have
     * @return the record, or null when the tenant has none (or only a deleted one)
     */
    Map<String, Object> find(String tenantId, String collection, Map<String, Object> match);

    /**
     * Sets {@code values} on the one record {@code where} matches (a repair: say, an agent's uid where the two systems
     * disagree). A directory that cannot change its records refuses.
     */
    default void relink(String tenantId, String collection, Map<String, Object> where, Map<String, Object> values) {
        throw new UnsupportedOperationException(collection + ": this store's lookups are read-only");
    }

    /**
     * The tenant of the record stored under {@code key}, whatever tenant: for a delete that does not carry its row's
     * tenant (a captured table without REPLICA IDENTITY FULL), whose key is unique in its table. Null when no record
     * is stored under it, or the store cannot tell.
     */
    default String tenantOf(String collection, String key) {
        return null;
    }
}
