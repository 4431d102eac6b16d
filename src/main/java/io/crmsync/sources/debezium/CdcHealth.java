package io.crmsync.sources.debezium;

import io.crmsync.sources.kafka.KafkaGroupWatch;
import io.crmsync.sources.kafka.KafkaProperties;

import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code /actuator/health/cdc}, in the readiness group: DOWN when a CDC source has failed (no reader for the slot, the
 * slot gone, Kafka unreachable), the slot holds back more WAL than {@code crm.cdc.lag-threshold}, or the Kafka group
 * is more than {@code crm.kafka.lag-threshold} behind or keeps rebalancing. The details never show a password.
 */
final class CdcHealth implements HealthIndicator {

    private final CdcProperties cdc;
    private final KafkaProperties kafka;
    private final Supplier<SlotMonitor> slots;
    private final KafkaGroupWatch group;

    CdcHealth(CdcProperties cdc, KafkaProperties kafka, Supplier<SlotMonitor> slots, KafkaGroupWatch group) {
        this.cdc = cdc;
        this.kafka = kafka;
        this.slots = slots;
        this.group = group;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        String failure = null;
        SlotMonitor monitor = slots.get();
        if (monitor == null) {
            health.withDetail("debezium", "off: crm.cdc.database-url (CDC_DATABASE_URL) is not set");
        } else {
            SlotMonitor.State state = monitor.state();
            failure = monitor.failure() != null ? monitor.failure() : monitor.lagging() ? "slot lag "
                    + state.lagBytes() + " bytes is over crm.cdc.lag-threshold " + cdc.lagThreshold() : null;
            health.withDetail("slot", cdc.slot()).withDetail("reading", monitor.leading())
                    .withDetail("exists", state.exists()).withDetail("active", state.active())
                    .withDetail("lagBytes", state.lagBytes());
            if (!monitor.tables().isEmpty()) {
                // a misconfigured table is reported, not a failure: its changes other than deletes are captured
                health.withDetail("tables", monitor.tables());
            }
        }
        if (!kafka.enabled()) {
            health.withDetail("kafka", "off: crm.kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is not set");
        } else {
            failure = failure != null ? failure : group.failure();
            health.withDetail("group", kafka.group()).withDetail("kafkaLag", group.lag());
        }
        return failure == null ? health.build() : health.down().withDetail("failure", failure).build();
    }
}
