package io.crmsync.embedded;

import java.net.InetSocketAddress;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB wire-protocol server in this JVM (mongo-java-server, in memory), for the demo and the test suite where
 * no mongod can run. The real MongoDB Java driver talks to it over TCP, so nothing of the driver is mocked.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MemoryBackend backend = new MemoryBackend();
    private final MongoServer server = new MongoServer(backend);
    private final InetSocketAddress address;

    private EmbeddedMongo(int port) {
        this(port, null, null, Map.of());
    }

    private EmbeddedMongo(int port, String database, String collection, Map<String, Object> document) {
        if (!document.isEmpty()) {
            backend.resolveDatabase(database).createCollectionOrThrowIfExists(collection)
                    .addDocument(new de.bwaldvogel.mongo.bson.Document(document));
        }
        server.bind("127.0.0.1", port);
        this.address = server.getLocalAddress();
    }

    /** Starts on a free port. */
    public static EmbeddedMongo start() {
        return new EmbeddedMongo(0);
    }

    public static EmbeddedMongo start(int port) {
        return new EmbeddedMongo(port);
    }

    /**
     * Starts on {@code port} with {@code document} already in {@code database.collection}: there before the first
     * client connects, so an app started beside the server never sees the collection without it.
     */
    public static EmbeddedMongo startWith(int port, String database, String collection, Map<String, Object> document) {
        return new EmbeddedMongo(port, database, collection, document);
    }

    public int port() {
        return address.getPort();
    }

    /** A connection string naming the database. */
    public String uri(String database) {
        return "mongodb://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
