package io.crmsync.stores.postgres;

import java.util.List;

/**
 * What a {@code crm-postgres:} endpoint writes: a table, its key columns, the column holding each member when the
 * event replaces a set of rows, and the column fencing rows to a tenant.
 *
 * @param key    for an upsert, the one column the mapping's key fills; for a set, the columns naming the owner of
 *               the set (filled by the mapping's fields or lookups, such as {@code agent_id})
 * @param member null for an upsert; for a set, the column each element of the event's list becomes a row of
 */
record Target(String table, List<String> key, String member, String tenantColumn) {

    Target {
        key = List.copyOf(key);
    }

    boolean isSet() {
        return member != null;
    }
}
