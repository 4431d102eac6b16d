/**
 * Writes to MongoDB that converge whatever the delivery order and count: per-field last-writer-wins on event time,
 * tombstone deletes, an exact credit ledger, tenant fencing in every filter.
 */
package io.crmsync.persistence;
