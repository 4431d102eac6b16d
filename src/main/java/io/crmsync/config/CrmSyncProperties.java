package io.crmsync.config;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.*} in application.yaml, but for {@code crm.streams.*} ({@link StreamsProperties}) and the other sections
 * with a record of their own. Stream keys and groups are route settings and live in the YAML routes.
 *
 * @param redisUrl        Redis URL: redis://, rediss:// (TLS), user:password@ for ACL users, redis-sentinel://
 * @param mongodbUri      MongoDB URI; its database is used, {@code crm} when it names none
 * @param consumerName    consumer name within each group; blank means the host name (the pod name on Kubernetes)
 * @param maxPayloadBytes entries larger than this are dead-lettered as {@code too-large}
 * @param collections     contract collection name to the name in this CRM's database
 */
@Validated
@ConfigurationProperties("crm")
public record CrmSyncProperties(
        @NotBlank String redisUrl,
        @NotBlank String mongodbUri,
        String consumerName,
        @Positive long maxPayloadBytes,
        @NotNull Map<String, String> collections,
        @Valid @NotNull DeadLetter deadLetter,
        @Valid @NotNull Acknowledgments acknowledgments,
        @Valid @NotNull Records records,
        @Valid @NotNull Writes writes,
        @Valid @NotNull Enrichment enrichment,
        @Valid @NotNull Tenants tenants,
        @Valid @NotNull Metrics metrics,
        // defaults when absent, so an application.yaml of an earlier version still starts
        @Valid @DefaultValue Mongo mongo) {

    /**
     * @param createIndexes       whether crm-sync creates the indexes it needs; off where the DBAs own the indexes, it
     *                            logs each one it expects, with the command to create it
     * @param writeConcernTimeout how long a write waits for a majority of the replica set to acknowledge it
     *                            ({@code wtimeout}); past it the write fails as infrastructure, its entry stays pending,
     *                            and readiness is DOWN until a write is acknowledged again
     */
    public record Mongo(@DefaultValue("true") boolean createIndexes,
            @DefaultValue("10s") @NotNull Duration writeConcernTimeout) {

        public io.crmsync.stores.mongodb.Collections.Options options() {
            return new io.crmsync.stores.mongodb.Collections.Options(createIndexes, writeConcernTimeout);
        }
    }

    /**
     * @param eventTypePrefixes event types starting with one of these are a metric tag of their own; any other (an
     *                          inter-app type of another application, say) is counted as {@code other}, so the number
     *                          of series stays small whatever the streams carry
     */
    public record Metrics(@NotNull java.util.List<String> eventTypePrefixes) {
    }

    /** @param stream the dead-letter stream key */
    public record DeadLetter(@NotBlank String stream) {
    }

    /** @param enabled whether each event is acknowledged on the stream */
    public record Acknowledgments(boolean enabled, @NotBlank String stream) {
    }

    /** @param enabled whether eventProcessingRecords are written */
    public record Records(boolean enabled) {
    }

    /**
     * @param maxBatch       most events written (and recorded and acknowledged) in one batch
     * @param lanes          batches written at once; a document or balance always goes to the same lane
     * @param reconcileAfter a ledger entry still out of its balance this long after it was recorded is folded by the
     *                       ledger-reconcile route (its event was dead-lettered, or the app died, between the steps)
     */
    public record Writes(@Positive int maxBatch, @Positive int lanes, @NotNull Duration reconcileAfter) {
    }

    /** @param cacheTtl how long an organization lookup hit is reused */
    public record Enrichment(@NotNull Duration cacheTtl) {
    }

    /**
     * @param refreshInterval how often the active tenants are read; a tenant's stream starts or stops within it
     * @param group           consumer group of the per-tenant credit streams
     */
    public record Tenants(@NotNull Duration refreshInterval, @NotBlank String group) {
    }

    public String databaseName() {
        String name = new com.mongodb.ConnectionString(mongodbUri).getDatabase();
        return name == null || name.isBlank() ? "crm" : name;
    }
}
