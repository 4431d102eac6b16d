package io.crmsync.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.crmsync.embedded.EmbeddedPostgres;

/** The leads team's tables, as docs/contract.md section 8 gives them: the user's schema, which crm-sync never makes. */
final class LeadsSchema {

    static final String DATABASE = "leads";
    static final String DDL = """
            create table if not exists agents (id bigserial primary key, tenant_id text not null, firebase_uid text,
                email text not null, unique (tenant_id, firebase_uid), unique (tenant_id, email));
            create table if not exists agent_lead_sources (agent_id bigint references agents(id),
                lead_source text not null, tenant_id text not null, assigned_at timestamptz,
                primary key (agent_id, lead_source));
            """;

    private LeadsSchema() {
    }

    static EmbeddedPostgres create(EmbeddedPostgres postgres) {
        postgres.createDatabase(DATABASE);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE))) {
            connection.createStatement().execute(DDL);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return postgres;
    }
}
