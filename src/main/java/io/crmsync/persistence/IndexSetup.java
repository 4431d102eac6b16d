package io.crmsync.persistence;

import java.util.List;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes the writes and lookups rely on; creating an existing index is a no-op, so this runs at every start.
 */
public final class IndexSetup {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSetup.class);

    /** The collections written field by field, whose guards name {@code _id}, {@code tenantId} and the revision. */
    private static final List<String> FIELDWISE = List.of("users", "roles", "userRoles", "organizations",
            "organizationAssignments", "creditConfigs", "interAppEvents");

    private IndexSetup() {
    }

    public static void ensure(Collections collections) {
        // the CRM reads an entity's movements
        collections.get("creditLedger").createIndex(Indexes.ascending("tenantId", "entityId"));
        // assignments resolve their organization by code within the tenant
        collections.get("organizations").createIndex(Indexes.ascending("tenantId", "orgCode"));
        collections.get("tenants").createIndex(Indexes.ascending("status"));
        if (lacksQueryPlanner(collections)) {
            ensureGuardIndexes(collections);
        }
    }

    /**
     * MongoDB answers a guarded write such as {@code {_id, tenantId, _sync.rev}} from the {@code _id} index.
     * mongo-java-server (the tests' and the demo's server) has no query planner: it uses a unique index only for a
     * filter with exactly that index's keys, and scans the collection otherwise, so every guarded write would cost
     * O(collection). There, and only there, each guard's key set gets its own unique index (unique because it
     * contains {@code _id}). On MongoDB these would only slow every write down.
     */
    private static void ensureGuardIndexes(Collections collections) {
        LOG.info("The MongoDB server has no query planner (mongo-java-server): adding unique indexes that match the "
                + "guarded writes' filters, so they are not collection scans");
        IndexOptions unique = new IndexOptions().unique(true);
        // each unique index makes every write there dearer (measured), so only the filters the writes use get one
        for (String collection : FIELDWISE) {
            collections.get(collection).createIndex(Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV), unique);
        }
        collections.get("creditBalances").createIndex(Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV), unique);
        collections.get("creditBalances").createIndex(Indexes.ascending("_id", "tenantId"), unique);
        collections.get("creditLedger").createIndex(Indexes.ascending("_id", "tenantId"), unique);
    }

    /** mongod's buildInfo always names the commit it was built from; mongo-java-server's has only the version. */
    private static boolean lacksQueryPlanner(Collections collections) {
        Document info = collections.database().runCommand(new Document("buildInfo", 1));
        return !info.containsKey("gitVersion");
    }
}
