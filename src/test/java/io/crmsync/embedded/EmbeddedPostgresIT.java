package io.crmsync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    @Test
    void serves_logical_decoding_and_keeps_committed_rows_across_a_kill() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            postgres.createDatabase("crm");
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("crm"))) {
                assertThat(scalar(connection, "show wal_level")).isEqualTo("logical");
                connection.createStatement().execute("create table t (id int primary key)");
                connection.createStatement().execute("insert into t values (1)");
            }
            postgres.kill();
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("crm")).close())
                    .isInstanceOf(SQLException.class);
            postgres.restart();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("crm"))) {
                assertThat(scalar(connection, "select count(*) from t")).isEqualTo("1");
            }
        }
    }

    @Test
    void runs_on_the_bundled_binaries_where_debian_has_none() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startWith(EmbeddedPostgres.unpackBundled(),
                EmbeddedRedis.freePort())) {
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
                assertThat(scalar(connection, "show server_version")).startsWith("15.");
            }
        }
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
