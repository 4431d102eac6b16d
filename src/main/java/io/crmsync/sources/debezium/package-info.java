/**
 * PostgreSQL change data capture: Debezium change events, read by the embedded connector
 * ({@code debezium-postgres:}) or from Kafka topics ({@code kafka:}), become canonical events for the same routes,
 * mappings and stores as the Redis streams; and the replication slot is watched, so a dead connector is loud.
 */
package io.crmsync.sources.debezium;
