package io.crmsync.persistence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes the writes rely on; creating an existing index is a no-op, so this runs at every start, and for each
 * collection a mapping writes, at its first write.
 */
public final class IndexSetup {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSetup.class);

    private final Collections collections;
    private final boolean guardIndexes;
    private final Once done = new Once();

    private IndexSetup(Collections collections) {
        this.collections = collections;
        this.guardIndexes = lacksQueryPlanner(collections);
        if (guardIndexes) {
            LOG.info("The MongoDB server has no query planner (mongo-java-server): adding unique indexes that match the "
                    + "guarded writes' filters, so they are not collection scans");
        }
    }

    public static IndexSetup ensure(Collections collections) {
        IndexSetup setup = new IndexSetup(collections);
        // secondary indexes serve reads only; mongo-java-server cannot build them (and says so at every start)
        if (!setup.guardIndexes) {
            collections.get("tenants").createIndex(Indexes.ascending("status"));
            // an entity's sync log: its processing records, newest first
            collections.get("eventProcessingRecords").createIndex(Indexes.compoundIndex(
                    Indexes.ascending("entityKey", "tenantId"), Indexes.descending("processedAt")));
        }
        return setup;
    }

    /** Before the first field-wise write to a collection: its guard index, on a server that needs one (see below). */
    void fieldwise(String collection) {
        if (guardIndexes) {
            done.run("fieldwise " + collection, () -> collections.get(collection)
                    .createIndex(Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV), UNIQUE));
        }
    }

    /** Before the first movement of a ledger: its balances' and its own guard indexes, and the CRM's read by entity. */
    void ledger(String ledger, String balances) {
        done.run("ledger " + ledger + " " + balances, () -> {
            if (!guardIndexes) {
                // the CRM reads an entity's movements
                collections.get(ledger).createIndex(Indexes.ascending("tenantId", "entityId"));
            } else {
                collections.get(balances).createIndex(Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV), UNIQUE);
                collections.get(balances).createIndex(Indexes.ascending("_id", "tenantId"), UNIQUE);
                collections.get(ledger).createIndex(Indexes.ascending("_id", "tenantId"), UNIQUE);
            }
        });
    }

    /**
     * Index creations by key, each run until it has succeeded once: marked done only after it did, so a creation that
     * failed (MongoDB unreachable) is tried again with the retried write or lookup instead of never until a restart.
     * Two threads may both create the same index meanwhile, which MongoDB treats as one.
     */
    public static final class Once {

        private final Set<String> done = ConcurrentHashMap.newKeySet();

        public void run(String key, Runnable create) {
            if (!done.contains(key)) {
                create.run();
                done.add(key);
            }
        }
    }

    private static final IndexOptions UNIQUE = new IndexOptions().unique(true);

    /*
     * Why guard indexes: MongoDB answers a guarded write such as {_id, tenantId, _sync.rev} from the _id index.
     * mongo-java-server (the tests' and the demo's server) has no query planner: it uses a unique index only for a
     * filter with exactly that index's keys, and scans the collection otherwise, so every guarded write would cost
     * O(collection). There, and only there, each guard's key set gets its own unique index (unique because it contains
     * _id). On MongoDB these would only slow every write down, so they are not made.
     */

    /** mongod's buildInfo always names the commit it was built from; mongo-java-server's has only the version. */
    public static boolean lacksQueryPlanner(Collections collections) {
        Document info = collections.database().runCommand(new Document("buildInfo", 1));
        return !info.containsKey("gitVersion");
    }
}
