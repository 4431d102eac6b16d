package io.crmsync.bench;

import java.util.concurrent.CountDownLatch;

import io.crmsync.embedded.EmbeddedMongo;

/**
 * The MongoDB wire-protocol server (mongo-java-server, in memory) in a JVM of its own, so the benchmark can tell
 * its CPU apart from the app's and the driver's. Prints {@code READY <port>} once listening; runs until killed.
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        EmbeddedMongo mongo = EmbeddedMongo.start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
        System.out.println("READY " + mongo.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
