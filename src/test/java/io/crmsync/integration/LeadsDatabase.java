package io.crmsync.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedPostgres;

/**
 * The leads team's PostgreSQL (docs/contract.md section 8): its tables, which are the user's and never crm-sync's,
 * and what a test does there and on the lead-source stream, within the test's tenant.
 */
final class LeadsDatabase {

    static final String DATABASE = DemoDatabases.LEADS;
    static final String STREAM = "crm:sync:agent:lead_sources_updated";

    private static EmbeddedPostgres server;
    private final SyncITSupport test;

    LeadsDatabase(SyncITSupport test) {
        this.test = test;
    }

    /** Makes the tables, before the app starts and checks them. */
    static EmbeddedPostgres create(EmbeddedPostgres postgres) {
        server = postgres;
        DemoDatabases.createLeads(postgres);
        return postgres;
    }

    /** Publishes a flat-shape assignment; returns its entry id. */
    String assignment(String agentUid, String email, String timestamp, String leadSourcesJson) {
        return test.publishFlat(STREAM, "agent.lead_sources.updated", agentUid, timestamp, "{\"agentUid\": \"" + agentUid
                + "\", \"email\": \"" + email + "\", \"leadSources\": " + leadSourcesJson + ", \"updatedAt\": \""
                + timestamp + "\", \"updatedBy\": \"admin-uid\"}");
    }

    /** Creates an agent of the test's tenant; returns its id. */
    long agent(String uid, String email) throws SQLException {
        try (Connection connection = connection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into agents (tenant_id, firebase_uid, email) values (?, ?, ?) returning id")) {
            insert.setString(1, test.tenant);
            insert.setString(2, uid);
            insert.setString(3, email);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    TreeSet<String> leadSources(long agent) throws SQLException {
        return new TreeSet<>(query("select lead_source from agent_lead_sources where agent_id = ? and tenant_id = '"
                + test.tenant + "'", agent));
    }

    /** The first column of each row. */
    static List<String> query(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(DATABASE));
    }
}
