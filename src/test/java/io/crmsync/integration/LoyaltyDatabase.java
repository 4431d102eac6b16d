package io.crmsync.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedPostgres;

/** The loyalty team's captured PostgreSQL (docs/contract.md section 7), as the CDC tests change it. */
final class LoyaltyDatabase {

    static final String DATABASE = DemoDatabases.LOYALTY;
    private static EmbeddedPostgres server;
    private static String clusterRoot;

    private LoyaltyDatabase() {
    }

    static EmbeddedPostgres create(EmbeddedPostgres postgres) {
        server = postgres;
        DemoDatabases.createLoyalty(postgres);
        return postgres;
    }

    static synchronized String clusterRoot() {
        if (clusterRoot == null) {
            try {
                clusterRoot = Files.createTempDirectory("crm-sync-cluster-").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return clusterRoot;
    }

    /** Runs statements in one transaction. */
    static void execute(String... statements) throws SQLException {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        }
    }

    static String scalar(String sql) throws SQLException {
        try (Connection connection = connection(); ResultSet row = connection.createStatement().executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /** Drops a replication slot its reader holds: the reader is disconnected first, as often as it comes back. */
    static void dropSlot(String slot) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                execute("select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = '" + slot
                        + "' and active_pid is not null", "select pg_drop_replication_slot('" + slot + "')");
                return;
            } catch (SQLException stillActive) {
                if (System.nanoTime() > deadline) {
                    throw stillActive;
                }
                Thread.sleep(50);
            }
        }
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    static Connection connection() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(DATABASE));
    }
}
