package io.crmsync.persistence.integration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Every convergence and concurrency test of {@link ConvergenceIT} against a real MongoDB replica set, where a Docker
 * engine exists: the guarded writes must hold on mongod's own concurrency, not only on the embedded server's.
 * Skipped without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersConvergenceIT extends ConvergenceIT {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

    // these hide ConvergenceIT's, so the embedded server is not started
    @BeforeAll
    static void start() {
        connect(MONGO.getReplicaSetUrl("crm"));
    }

    @AfterAll
    static void stop() {
        client.close();
    }
}
