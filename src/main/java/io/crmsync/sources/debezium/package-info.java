/**
 * PostgreSQL change data capture: Debezium change events, read by the embedded connector ({@code debezium-postgres:})
 * or, through {@link io.crmsync.sources.kafka}, from Kafka topics, become canonical events for the same routes,
 * mappings and stores as the Redis streams. The replication slot and the captured tables are watched, so a dead
 * connector or a misconfigured table is loud.
 */
package io.crmsync.sources.debezium;
