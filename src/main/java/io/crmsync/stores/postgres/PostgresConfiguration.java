package io.crmsync.stores.postgres;

import io.crmsync.core.connect.PostgresUrl;

import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.core.mapping.Mappings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL store: a pool and a store when {@code crm.postgres.url} is set, and the {@code crm-postgres}
 * component always, so routes naming it load (and validate) with or without a database.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PostgresProperties.class)
class PostgresConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "crm.postgres.enabled", havingValue = "true")
    HikariDataSource postgresDataSource(PostgresProperties properties) {
        PostgresUrl url = PostgresUrl.parse(properties.url());
        HikariConfig config = new HikariConfig();
        config.setPoolName("crm-postgres");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(properties.poolSize());
        // text is sent untyped, so PostgreSQL reads it as the column's type (uuid, numeric, timestamptz)
        config.addDataSourceProperty("stringtype", "unspecified");
        // start even while the database is away; the writes are retried and wait in the stream meanwhile
        config.setInitializationFailTimeout(-1);
        // an unreachable database fails a write (for its redelivery) within seconds, not Hikari's default 30
        config.setConnectionTimeout(5_000);
        LOG.info("PostgreSQL store: {}", url);
        return new HikariDataSource(config);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "crm.postgres.enabled", havingValue = "true")
    PostgresStore postgresStore(HikariDataSource postgresDataSource, ObjectMapper json, PostgresProperties properties,
            ExecutorService writeCompletions) {
        return new PostgresStore(postgresDataSource, json, properties.maxBatch(), writeCompletions);
    }

    /** The {@code postgres} check of readiness; UP, saying so, where no PostgreSQL store is configured. */
    @Bean
    org.springframework.boot.actuate.health.HealthIndicator postgresHealthIndicator(
            ObjectProvider<HikariDataSource> postgresDataSource, PostgresProperties properties,
            io.micrometer.core.instrument.MeterRegistry meters) {
        HikariDataSource dataSource = postgresDataSource.getIfAvailable();
        if (dataSource == null) {
            return () -> org.springframework.boot.actuate.health.Health.up()
                    .withDetail("store", "off: crm.postgres.url (LEADS_DATABASE_URL) is not set").build();
        }
        // closed with the context: Spring infers close() from the instance
        return new PostgresHealth(dataSource, PostgresUrl.parse(properties.url()).toString(), meters,
                java.time.Duration.ofSeconds(5));
    }

    @Bean(CrmPostgresComponent.SCHEME)
    CrmPostgresComponent crmPostgresComponent(Mappings mappings, ObjectProvider<PostgresStore> store) {
        return new CrmPostgresComponent(mappings, store.getIfAvailable());
    }
}
