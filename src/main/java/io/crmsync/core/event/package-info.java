/**
 * The canonical event: what every source (Redis Streams today, Debezium and Kafka later) is parsed into before routing.
 */
package io.crmsync.core.event;
