package io.crmsync.persistence;

import com.mongodb.client.model.Indexes;

/**
 * The indexes the writes and lookups rely on; creating an existing index is a no-op, so this runs at every start.
 */
public final class IndexSetup {

    private IndexSetup() {
    }

    public static void ensure(Collections collections) {
        // the ledger is summed per entity on every credit event
        collections.get("creditLedger").createIndex(Indexes.ascending("tenantId", "entityId"));
        // assignments resolve their organization by code within the tenant
        collections.get("organizations").createIndex(Indexes.ascending("tenantId", "orgCode"));
        collections.get("tenants").createIndex(Indexes.ascending("status"));
    }
}
