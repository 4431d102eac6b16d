/**
 * The Redis Streams source: turns each stream entry read by the {@code redis-streams} component into a canonical
 * event, says where it was read ({@link io.crmsync.core.event.Provenance}) before parsing it, classifies Redis's own
 * failures, and finds the per-tenant streams.
 */
package io.crmsync.sources.redis;
