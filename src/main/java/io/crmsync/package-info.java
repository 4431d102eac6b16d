/**
 * crm-sync: sources and stores as plug-ins around one store-neutral core.
 * <ul>
 * <li>{@code core.*}: the canonical event, the mappings, the write plan and its merge rule, the store interface, the
 * outcomes and the dead letters. The core imports nothing from a source, a store or the ops tools.</li>
 * <li>{@code sources.*}: one package per source (Redis Streams, Debezium, Kafka), each turning its messages into
 * canonical events.</li>
 * <li>{@code stores.*}: one package per store (MongoDB, PostgreSQL), each a Camel component implementing the core's
 * store interface, with its own lookups.</li>
 * <li>The edges: {@code camel.redisstreams} (the Camel component), {@code config} and {@code startup} (wiring),
 * {@code routes} and {@code routetest} (the YAML), {@code ops} (health, tools, console) and {@code demo}.</li>
 * </ul>
 */
package io.crmsync;
