package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.embedded.EmbeddedPostgres;

/** An embedded PostgreSQL with the tables a test gives, and a pool on it. */
record ScratchDatabase(EmbeddedPostgres postgres, HikariDataSource dataSource) implements AutoCloseable {

    static ScratchDatabase start(String... ddl) throws SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
            for (String statement : ddl) {
                connection.createStatement().execute(statement);
            }
        }
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl("postgres"));
        return new ScratchDatabase(postgres, dataSource);
    }

    @Override
    public void close() {
        dataSource.close();
        postgres.close();
    }
}
