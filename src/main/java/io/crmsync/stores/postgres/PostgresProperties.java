package io.crmsync.stores.postgres;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.postgres.*}: the database of the {@code crm-postgres:} store endpoints.
 *
 * @param url      {@code postgresql://user:password@host:5432/db}; blank turns the PostgreSQL store (and the routes
 *                 that need it) off
 * @param poolSize connections of the pool: batches are written one at a time, lookups and verify use the others
 * @param maxBatch most events per transaction
 */
@Validated
@ConfigurationProperties("crm.postgres")
public record PostgresProperties(String url, @Positive int poolSize, @Positive int maxBatch) {

    public PostgresProperties {
        poolSize = poolSize == 0 ? 4 : poolSize;
        maxBatch = maxBatch == 0 ? 500 : maxBatch;
    }

    public boolean enabled() {
        return url != null && !url.isBlank();
    }
}
