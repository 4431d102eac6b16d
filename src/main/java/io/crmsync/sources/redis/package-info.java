/**
 * The Redis Streams source: turns each stream entry read by the {@code redis-streams} component into a canonical
 * event, and finds the per-tenant streams.
 */
package io.crmsync.sources.redis;
