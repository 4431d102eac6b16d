package io.crmsync.stores.mongodb;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes the writes and the periodic queries rely on; creating an existing index is a no-op, so this runs at
 * every start once MongoDB answers, with those of the routes' mappings ({@link MappedIndexes}), and for a collection or
 * ledger that start did not foresee (a route or mapping reloaded since), at its first write.
 * <p>
 * Each index has a name of crm-sync's ({@code crm_sync_*}), and is made by {@link #create}: an index the CRM already
 * has on the same keys is used whatever its name or options, and one MongoDB refuses to build (no privilege, a name
 * taken by other keys) or that {@code crm.mongo.create-indexes} leaves to the DBA is logged once, with the command
 * to create it by hand. Neither fails the start or an event: without the index, the query is slower, never wrong.
 */
public final class IndexSetup {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSetup.class);

    // MongoDB's answers to createIndexes that a retry cannot change
    private static final int UNAUTHORIZED = 13;
    private static final int INDEX_ALREADY_EXISTS = 68;
    private static final int INDEX_OPTIONS_CONFLICT = 85;
    private static final int INDEX_KEY_SPECS_CONFLICT = 86;

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
            // the tenant-streams route reads the active tenants every crm.tenants.refresh-interval
            create(collections, "tenants", "crm_sync_tenants_status", Indexes.ascending("status"), new IndexOptions());
            // an entity's sync log: its processing records, newest first
            create(collections, "eventProcessingRecords", "crm_sync_records_by_entity", Indexes.compoundIndex(
                    Indexes.ascending("entityKey", "tenantId"), Indexes.descending("processedAt")), new IndexOptions());
            // made here so a refusal shows at start-up; the console's own request for it then finds it done
            recentRecords(collections);
        }
        return setup;
    }

    /** The console's recent activity (ops SyncLog): the processing records, newest first. */
    public static void recentRecords(Collections collections) {
        create(collections, "eventProcessingRecords", "crm_sync_records_by_time", Indexes.descending("processedAt"),
                new IndexOptions());
    }

    /** Before the first field-wise write to a collection: its guard index, on a server that needs one (see below). */
    void fieldwise(String collection) {
        if (guardIndexes) {
            done.run("fieldwise " + collection, () -> guard(collection, Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV)));
        }
    }

    /**
     * Before the first movement of a ledger: the CRM's read by entity and the reconciler's periodic query by
     * {@code folded} and {@code recordedAt}; on the stand-in, its balances' and its own guard indexes instead.
     */
    void ledger(String ledger, String balances) {
        done.run("ledger " + ledger + " " + balances, () -> {
            if (!guardIndexes) {
                create(collections, ledger, "crm_sync_ledger_by_entity", Indexes.ascending("tenantId", "entityId"),
                        new IndexOptions());
                // the ledger-reconcile route looks for unfolded entries every minute: without it, a scan of the ledger
                create(collections, ledger, "crm_sync_ledger_unfolded", Indexes.ascending("folded", "recordedAt"),
                        new IndexOptions());
            } else {
                guard(balances, Indexes.ascending("_id", "tenantId", FieldwiseUpsert.REV));
                guard(balances, Indexes.ascending("_id", "tenantId"));
                guard(ledger, Indexes.ascending("_id", "tenantId"));
            }
        });
    }

    /**
     * A guard index keeps its default name (it starts with {@code _id}), which {@link GuardedBulk#onGuard} reads in a
     * duplicate-key error to tell a lost race from a refusal. Only mongo-java-server gets one, so no DBA meets it.
     */
    private void guard(String collection, Bson keys) {
        if (collections.options().createIndexes()) {
            collections.get(collection).createIndex(keys, UNIQUE);
        }
    }

    /**
     * Creates {@code keys} as {@code name} on {@code collection}, or explains why not:
     * <ul>
     * <li>an index on the same keys under another name or with other options (85) is the CRM's: it serves as well;</li>
     * <li>a name taken by another index on other keys (86), no privilege (13), any refusal: logged with the command
     * to run by hand, and the caller goes on;</li>
     * <li>with {@code crm.mongo.create-indexes} off: logged with the command, nothing sent.</li>
     * </ul>
     * Only an infrastructure failure (MongoDB unreachable, no primary) is thrown, so the caller tries again later.
     * Each index is created once per run of these collections (see {@link Once}), whoever asks first: the start-up,
     * or a first use; so each line is logged once.
     */
    public static void create(Collections collections, String collection, String name, Bson keys, IndexOptions options) {
        collections.indexes().run(collection + " " + name, () -> createOrExplain(collections, collection, name, keys,
                options));
    }

    private static void createOrExplain(Collections collections, String collection, String name, Bson keys,
            IndexOptions options) {
        String byHand = byHand(collections.name(collection), name, keys, options);
        if (!collections.options().createIndexes()) {
            LOG.info("Index creation is off (crm.mongo.create-indexes=false): crm-sync expects this index, to be created "
                    + "by the DBA: {}", byHand);
            return;
        }
        try {
            collections.get(collection).createIndex(keys, copy(options).name(name));
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == INDEX_OPTIONS_CONFLICT) {
                LOG.info("{} has an index on {} already, under another name or with other options: crm-sync uses it "
                        + "({})", collections.name(collection), keys.toBsonDocument().toJson(), e.getErrorMessage());
            } else if ((e.getErrorCode() == INDEX_KEY_SPECS_CONFLICT || e.getErrorCode() == INDEX_ALREADY_EXISTS)
                    && hasKeys(collections, collection, keys)) {
                LOG.info("{} has an index on {} already: crm-sync uses it", collections.name(collection),
                        keys.toBsonDocument().toJson());
            } else if (e.getErrorCode() == UNAUTHORIZED || e.getErrorCode() == INDEX_KEY_SPECS_CONFLICT
                    || e.getErrorCode() == INDEX_ALREADY_EXISTS || !MongoFailures.isInfrastructure(e)) {
                LOG.warn("MongoDB refused to create index {} on {} ({} {}: {}). crm-sync goes on without it, slower where "
                        + "it would serve; create it by hand (under another name if this one is taken): {}", name,
                        collections.name(collection), e.getErrorCode(), e.getErrorCodeName(), e.getErrorMessage(), byHand);
            } else {
                throw e;
            }
        }
    }

    /** The mongosh command a DBA runs to create the index. */
    static String byHand(String collection, String name, Bson keys, IndexOptions options) {
        Document spec = new Document("name", name);
        if (options.isUnique()) {
            spec.append("unique", true);
        }
        return "db.getCollection(\"" + collection + "\").createIndex(" + keys.toBsonDocument().toJson() + ", "
                + spec.toJson() + ")";
    }

    /** Whether an index of the collection has exactly these keys, in this order (read only after a conflict). */
    private static boolean hasKeys(Collections collections, String collection, Bson keys) {
        BsonDocument wanted = keys.toBsonDocument();
        try {
            for (Document index : collections.get(collection).listIndexes()) {
                Document key = index.get("key", Document.class);
                if (key != null && key.toBsonDocument().equals(wanted)) {
                    return true;
                }
            }
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != UNAUTHORIZED && MongoFailures.isInfrastructure(e)) {
                throw e;
            }
            // no listIndexes privilege: say what to create, which is harmless if it exists
        }
        return false;
    }

    private static IndexOptions copy(IndexOptions options) {
        return new IndexOptions().unique(options.isUnique());
    }

    /**
     * Index creations by key, each run until it has succeeded once: marked done only after it did, so a creation that
     * failed (MongoDB unreachable) is tried again with the retried write or lookup instead of never until a restart.
     * A refused creation counts as done ({@link #create} logged it): trying it at every event would only fail again.
     * A second thread asking for the same key meanwhile (the start-up and a first use) waits for the first one and
     * finds it done, so a refusal is logged once.
     */
    public static final class Once {

        private final Set<String> done = ConcurrentHashMap.newKeySet();
        private final Map<String, Object> locks = new ConcurrentHashMap<>();

        public void run(String key, Runnable create) {
            if (done.contains(key)) {
                return;
            }
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                if (!done.contains(key)) {
                    create.run();
                    done.add(key);
                }
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
