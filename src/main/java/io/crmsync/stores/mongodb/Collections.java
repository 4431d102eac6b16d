package io.crmsync.stores.mongodb;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the contract's collection names to the ones a CRM really has ({@code roles} to {@code crmroles}, say), so
 * an existing database is written in place without a rebuild.
 * <p>
 * Every collection reads from the primary and writes with majority acknowledgement, whatever the URI says: the
 * guarded writes compare-and-set on what they read, so a read from a lagging secondary could add a credit twice, and
 * a write acknowledged by one node could be rolled back after its entry was acked. The majority is waited for at most
 * {@link Options#acknowledgeTimeout()}: a replica set that has lost its majority would otherwise hold every write (and
 * its entry) forever, where a timed-out write fails as infrastructure and its entry stays pending.
 */
public final class Collections {

    private static final Logger LOG = LoggerFactory.getLogger(Collections.class);

    /**
     * @param createIndexes      whether crm-sync creates the indexes it needs; off, it logs each one to create by hand
     * @param acknowledgeTimeout how long a write waits for a majority to acknowledge it ({@code wtimeout})
     */
    public record Options(boolean createIndexes, Duration acknowledgeTimeout) {

        public static final Options DEFAULTS = new Options(true, Duration.ofSeconds(10));

        public Options {
            if (acknowledgeTimeout == null || acknowledgeTimeout.isNegative() || acknowledgeTimeout.isZero()) {
                // wtimeout 0 means "wait forever" to MongoDB: exactly the hang the timeout is there to prevent
                throw new IllegalArgumentException("the acknowledge timeout must be positive, was " + acknowledgeTimeout);
            }
        }
    }

    private final MongoDatabase database;
    private final Map<String, String> names;
    private final Options options;
    private final WriteAcknowledgements acknowledgements = new WriteAcknowledgements();
    // each index is asked of MongoDB once per run, by whichever comes first: the start-up or its first use
    private final IndexSetup.Once indexes = new IndexSetup.Once();

    public Collections(MongoDatabase database, Map<String, String> names) {
        this(database, names, Options.DEFAULTS);
    }

    public Collections(MongoDatabase database, Map<String, String> names, Options options) {
        WriteConcern majority = WriteConcern.MAJORITY.withWTimeout(options.acknowledgeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!ReadPreference.primary().equals(database.getReadPreference()) || !majority.equals(database.getWriteConcern())) {
            LOG.info("MongoDB reads from the primary and writes with w=majority, wtimeout={} ms (the URI asks for {} and {}): "
                    + "crm-sync's guarded writes need both", options.acknowledgeTimeout().toMillis(),
                    database.getReadPreference().getName(), database.getWriteConcern().asDocument().toJson());
        }
        this.database = database.withReadPreference(ReadPreference.primary()).withWriteConcern(majority);
        this.names = Map.copyOf(names);
        this.options = options;
    }

    public MongoCollection<Document> get(String logicalName) {
        return database.getCollection(name(logicalName));
    }

    public String name(String logicalName) {
        return names.getOrDefault(logicalName, logicalName);
    }

    public MongoDatabase database() {
        return database;
    }

    public Options options() {
        return options;
    }

    /** The indexes asked of MongoDB so far ({@link IndexSetup#create}). */
    IndexSetup.Once indexes() {
        return indexes;
    }

    /** Whether writes are being acknowledged by a majority: the write path reports, readiness reads. */
    public WriteAcknowledgements acknowledgements() {
        return acknowledgements;
    }
}
