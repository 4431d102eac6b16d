package io.crmsync.core.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void aUrlWithCredentialsGivesAJdbcUrlWithoutThem() {
        PostgresUrl url = PostgresUrl.parse("postgresql://crm:s%40cret@db.internal:6432/leads?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/leads?sslmode=require");
        assertThat(url.user()).isEqualTo("crm");
        assertThat(url.password()).isEqualTo("s@cret");
    }

    @Test
    void thePasswordNeverShowsInItsText() {
        assertThat(PostgresUrl.parse("postgresql://crm:hunter2@db/leads").toString())
                .isEqualTo("postgresql://crm:***@db:5432/leads").doesNotContain("hunter2");
    }

    @Test
    void aPlusInAPasswordIsAPlus() {
        assertThat(PostgresUrl.parse("postgresql://crm:ab+c%2Fd@db/leads").password()).isEqualTo("ab+c/d");
    }

    @Test
    void aMalformedUrlIsRefusedWithoutQuotingItsPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://crm:p^ss@db/leads"))
                .hasMessageContaining("escape reserved characters of a password with %")
                .hasMessageNotContaining("p^ss");
    }

    @Test
    void anotherSchemeIsRefusedWithTheFormItTakes() {
        assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://db/leads"))
                .hasMessageContaining("postgresql://user:password@host:5432/db");
    }

    @Test
    void aUrlWithoutADatabaseIsRefused() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db:5432"))
                .hasMessageContaining("names a host and a database");
    }
}
