/**
 * The canonical event every source is parsed into before routing: its type, tenant, entity, time, payload, and its
 * provenance (source and position), so that routing, mappings, stores and dead letters never read a source's headers.
 */
package io.crmsync.core.event;
