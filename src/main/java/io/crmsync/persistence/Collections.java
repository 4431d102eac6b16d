package io.crmsync.persistence;

import java.util.Map;

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
 * a write acknowledged by one node could be rolled back after its entry was acked.
 */
public final class Collections {

    private static final Logger LOG = LoggerFactory.getLogger(Collections.class);

    private final MongoDatabase database;
    private final Map<String, String> names;

    public Collections(MongoDatabase database, Map<String, String> names) {
        if (!ReadPreference.primary().equals(database.getReadPreference())
                || !WriteConcern.MAJORITY.equals(database.getWriteConcern())) {
            LOG.info("MongoDB reads from the primary and writes with w=majority (the URI asks for {} and {}): crm-sync's "
                    + "guarded writes need both", database.getReadPreference().getName(), database.getWriteConcern().asDocument().toJson());
        }
        this.database = database.withReadPreference(ReadPreference.primary()).withWriteConcern(WriteConcern.MAJORITY);
        this.names = Map.copyOf(names);
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
}
