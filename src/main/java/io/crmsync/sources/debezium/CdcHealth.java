package io.crmsync.sources.debezium;

import java.util.List;
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
    private final Supplier<SlotMonitor> slots;
    private final Supplier<List<ChangeFeed>> feeds;

    CdcHealth(CdcProperties cdc, Supplier<SlotMonitor> slots, Supplier<List<ChangeFeed>> feeds) {
        this.cdc = cdc;
        this.slots = slots;
        this.feeds = feeds;
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
        for (ChangeFeed feed : feeds.get()) {
            String feedFailure = feed.report(health);
            failure = failure != null ? failure : feedFailure;
        }
        return failure == null ? health.build() : health.down().withDetail("failure", failure).build();
    }
}
