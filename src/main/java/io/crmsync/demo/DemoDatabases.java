package io.crmsync.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.crmsync.embedded.EmbeddedPostgres;

/**
 * The users' PostgreSQL tables as the demo and the tests create them (docs/contract.md sections 7 and 8). In
 * production they are the users': crm-sync never creates them, and only checks at start-up that they have the
 * columns its mappings use.
 */
public final class DemoDatabases {

    /** The leads team's database: agents and their lead sources. */
    public static final String LEADS = "leads";
    /** The loyalty team's database, captured by the CDC source. */
    public static final String LOYALTY = "loyalty";

    static final String LEADS_DDL = """
            create table if not exists agents (id bigserial primary key, tenant_id text not null, firebase_uid text,
                email text not null, unique (tenant_id, firebase_uid), unique (tenant_id, email));
            create table if not exists agent_lead_sources (agent_id bigint references agents(id),
                lead_source text not null, tenant_id text not null, assigned_at timestamptz,
                primary key (agent_id, lead_source));
            """;
    // REPLICA IDENTITY FULL: a delete's change event then carries the whole row, its tenant_id included
    public static final String LOYALTY_DDL = """
            create table if not exists public.purchase_ledger (id uuid primary key, tenant_id text not null,
                user_id text, merchant_id text, final_amount numeric(18,2), status text, earn_currency boolean,
                created_at timestamptz);
            alter table public.purchase_ledger replica identity full;
            create table if not exists public.wallet_ledger (id uuid primary key, tenant_id text not null,
                wallet_id text not null, user_id text, amount numeric(18,2) not null,
                kind text not null check (kind in ('earn','burn')), created_at timestamptz);
            alter table public.wallet_ledger replica identity full;
            """;

    private DemoDatabases() {
    }

    public static void createLeads(EmbeddedPostgres postgres) {
        create(postgres, LEADS, LEADS_DDL);
    }

    public static void createLoyalty(EmbeddedPostgres postgres) {
        createLoyalty(postgres, LOYALTY);
    }

    /** The loyalty team's tables in a database of another name (a test that captures a database of its own). */
    public static void createLoyalty(EmbeddedPostgres postgres, String database) {
        create(postgres, database, LOYALTY_DDL);
    }

    /**
     * Creates {@code database} with its tables and rows as one step, for an app already started beside the server: it
     * is made under another name and renamed once complete, so the app never reaches it half made (a table check that
     * found no table would not be tried again).
     */
    static void createWhole(EmbeddedPostgres postgres, String database, String ddl, String... rows) {
        String partial = database + "_being_made";
        create(postgres, partial, ddl);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(partial))) {
            for (String row : rows) {
                connection.createStatement().execute(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill " + database + ": " + e.getMessage(), e);
        }
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
            connection.createStatement().execute("alter database \"" + partial + "\" rename to \"" + database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rename " + partial + " to " + database + ": " + e.getMessage(), e);
        }
    }

    private static void create(EmbeddedPostgres postgres, String database, String ddl) {
        postgres.createDatabase(database);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database))) {
            connection.createStatement().execute(ddl);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the tables of " + database + ": " + e.getMessage(), e);
        }
    }
}
