/**
 * The store-neutral write: what a mapping plans ({@link io.crmsync.core.write.Write}), the merge rule every store
 * applies (per-field last writer wins on event stamps, tombstones that guard the whole document), batching with group
 * commit, and the outcome a write settles with.
 */
package io.crmsync.core.write;
