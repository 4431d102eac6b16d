package io.crmsync.demo;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedPostgres;
import io.crmsync.embedded.EmbeddedRedis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's Redis, MongoDB and PostgreSQL, started on threads of their own on ports chosen first, so that the app,
 * which reads the ports from its properties, starts beside them instead of after them: PostgreSQL's initdb and
 * start take seconds, and so does Spring. Each server is made whole before it can be reached: MongoDB holds the
 * active tenant before it listens, and each PostgreSQL database appears with its tables and rows.
 */
final class DemoServers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServers.class);
    // initdb and a first start on a loaded machine, with room to spare
    private static final long START_SECONDS = 120;

    private final int redisPort = EmbeddedRedis.freePort();
    private final int mongoPort = EmbeddedRedis.freePort();
    private final int postgresPort = EmbeddedRedis.freePort();
    private final CompletableFuture<EmbeddedRedis> redis;
    private final CompletableFuture<EmbeddedMongo> mongo;
    private final CompletableFuture<EmbeddedPostgres> postgres;

    private DemoServers() {
        redis = starting("redis", () -> EmbeddedRedis.start(redisPort));
        // an active tenant from the first moment, so its credit-events:acme stream (a route made from a template) is
        // consumed from the app's first look at the tenants rather than from their next refresh
        mongo = starting("mongodb", () -> EmbeddedMongo.startWith(mongoPort, "crm", "tenants",
                Map.of("_id", SampleEvents.TENANT, "status", "active")));
        postgres = starting("postgresql", () -> {
            EmbeddedPostgres server = EmbeddedPostgres.start(postgresPort);
            // the agent the sample lead-source event names, as the leads team's admin would have created it
            DemoDatabases.createWhole(server, DemoDatabases.LEADS, DemoDatabases.LEADS_DDL,
                    "insert into agents (tenant_id, firebase_uid, email) values ('" + SampleEvents.TENANT
                            + "', 'agent-uid-1', 'grace@acme.test')");
            DemoDatabases.createWhole(server, DemoDatabases.LOYALTY, DemoDatabases.LOYALTY_DDL);
            return server;
        });
    }

    /** Begins starting the three servers and returns at once. */
    static DemoServers start() {
        return new DemoServers();
    }

    // the same forms as the servers' own url()/uri(), known before the servers are: the app's properties need them
    String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + mongoPort + "/crm";
    }

    String postgresUrl(String database) {
        return "postgresql://postgres@127.0.0.1:" + postgresPort + "/" + database;
    }

    /** Waits until all three answer, made whole; throws, naming the server, when one could not start. */
    void awaitReady() {
        redis();
        mongo();
        postgres();
    }

    EmbeddedRedis redis() {
        return ready("redis", redis);
    }

    EmbeddedMongo mongo() {
        return ready("mongodb", mongo);
    }

    EmbeddedPostgres postgres() {
        return ready("postgresql", postgres);
    }

    /** Stops each server, PostgreSQL first; one still starting is stopped once it has started. */
    @Override
    public void close() {
        for (CompletableFuture<? extends AutoCloseable> server : java.util.List.of(postgres, mongo, redis)) {
            try {
                server.get(START_SECONDS, TimeUnit.SECONDS).close();
            } catch (Exception e) {
                // it never started (its failure was reported), or would not stop: nothing more to do here
                LOG.debug("Embedded server not stopped: {}", e.toString());
            }
        }
    }

    private static <T> T ready(String name, CompletableFuture<T> server) {
        try {
            return server.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the demo's " + name + " did not start: " + cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the demo's " + name + " did not start within " + START_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the demo's " + name + " started", e);
        }
    }

    /** On a thread of its own: the common pool has a single thread on a two-core machine, and would start them in turn. */
    private static <T> CompletableFuture<T> starting(String name, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, task -> {
            Thread thread = new Thread(task, "demo-" + name);
            thread.setDaemon(true);
            thread.start();
        });
    }
}
