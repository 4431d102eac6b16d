package io.crmsync.integration;

/**
 * The images the Testcontainers ITs run, so one command tries another server version:
 * {@code mvn -B verify -Dcontainers.mongo=mongo:8.0}. The refusals they provoke (index conflicts 85/86, depth,
 * validators, write concern) are answered alike by MongoDB 6 to 8.
 */
public final class ContainerImages {

    /** The MongoDB image, {@code mongo:7.0} unless {@code containers.mongo} names another. */
    public static final String MONGO = System.getProperty("containers.mongo", "mongo:7.0");

    private ContainerImages() {
    }
}
