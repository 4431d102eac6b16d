/**
 * Debezium change events carried by Kafka topics ({@code kafka:}): offsets committed once a batch is durable, and the
 * consumer group watched for lag and rebalances. The events themselves are read by the Debezium package's
 * change-event step.
 */
package io.crmsync.sources.kafka;
