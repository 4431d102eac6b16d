package io.crmsync.sources.debezium;

import org.springframework.boot.actuate.health.Health;

/**
 * Another transport of Debezium's change events (a Kafka consumer group) reporting into the {@code cdc} health check
 * beside the embedded connector's slot, so that the check needs no knowledge of how those events arrive.
 */
public interface ChangeFeed {

    /** Adds this feed's details to the check; returns why it has failed, or null while it is healthy. */
    String report(Health.Builder health);
}
