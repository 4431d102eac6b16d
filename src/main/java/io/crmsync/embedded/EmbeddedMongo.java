package io.crmsync.embedded;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB wire-protocol server in this JVM (mongo-java-server, in memory), for the demo and the test suite where
 * no mongod can run. The real MongoDB Java driver talks to it over TCP, so nothing of the driver is mocked.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final InetSocketAddress address;

    private EmbeddedMongo(int port) {
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
