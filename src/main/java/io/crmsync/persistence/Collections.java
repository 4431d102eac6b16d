package io.crmsync.persistence;

import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * Maps the contract's collection names to the ones a CRM really has ({@code roles} to {@code crmroles}, say), so
 * an existing database is written in place without a rebuild.
 */
public final class Collections {

    private final MongoDatabase database;
    private final Map<String, String> names;

    public Collections(MongoDatabase database, Map<String, String> names) {
        this.database = database;
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
