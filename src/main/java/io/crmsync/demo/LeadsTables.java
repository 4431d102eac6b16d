package io.crmsync.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.crmsync.embedded.EmbeddedPostgres;

/**
 * The leads team's tables (docs/contract.md section 8) as the demo and the tests create them. In production they are
 * the user's: crm-sync never creates them, and only checks at start-up that they have the columns its mappings use.
 */
public final class LeadsTables {

    public static final String DATABASE = "leads";
    public static final String DDL = """
            create table if not exists agents (id bigserial primary key, tenant_id text not null, firebase_uid text,
                email text not null, unique (tenant_id, firebase_uid), unique (tenant_id, email));
            create table if not exists agent_lead_sources (agent_id bigint references agents(id),
                lead_source text not null, tenant_id text not null, assigned_at timestamptz,
                primary key (agent_id, lead_source));
            """;

    private LeadsTables() {
    }

    /** Creates the database and its tables on an embedded server. */
    public static void create(EmbeddedPostgres postgres) {
        postgres.createDatabase(DATABASE);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE))) {
            connection.createStatement().execute(DDL);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the leads tables: " + e.getMessage(), e);
        }
    }
}
