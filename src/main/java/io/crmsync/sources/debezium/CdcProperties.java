package io.crmsync.sources.debezium;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.cdc.*}: the embedded Debezium source (routes/cdc.camel.yaml) and the watch on its replication slot.
 *
 * @param databaseUrl   {@code postgresql://user:password@host:5432/db} of the captured database; blank turns CDC off
 * @param slot          the replication slot, created when missing
 * @param publication   the publication of the captured tables, created when missing
 * @param tables        the captured tables, {@code schema.table}; each is checked at start-up ({@link CdcTables})
 * @param tenantColumn  the column of every captured row naming its tenant
 * @param lagThreshold  WAL the slot may hold back before readiness goes DOWN and the alert fires
 * @param inactiveGrace how long the slot may be without a reader (a failover, a restart) before that is a failure
 * @param checkInterval how often the slot is read
 * @param cluster       {@code file} (a lock file under {@code clusterRoot}, one machine) or {@code kubernetes} (a Lease)
 * @param clusterRoot   with {@code file}: the directory of the lock files, shared by the instances
 */
@Validated
@ConfigurationProperties("crm.cdc")
public record CdcProperties(String databaseUrl, @NotBlank String slot, @NotBlank String publication,
        @jakarta.validation.constraints.NotEmpty java.util.List<String> tables,
        @NotBlank String tenantColumn, @Positive long lagThreshold, @NotNull Duration inactiveGrace,
        @NotNull Duration checkInterval, @NotBlank String cluster, String clusterRoot) {

    public boolean enabled() {
        return databaseUrl != null && !databaseUrl.isBlank();
    }
}
