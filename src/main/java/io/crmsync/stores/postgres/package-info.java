/**
 * The PostgreSQL store: {@code crm-postgres:} endpoints write mapped events into the user's tables with the same
 * convergent, idempotent, tenant-fenced semantics as the MongoDB store. Per-column stamps live in crm-sync's own
 * {@code crm_sync_stamps} table, never in the user's schema.
 */
package io.crmsync.stores.postgres;
