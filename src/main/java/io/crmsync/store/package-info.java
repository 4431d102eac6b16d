/**
 * Store endpoints: the {@code to:} URIs of the routes that write an event, choosing the write kind and the target,
 * and applying a declared mapping.
 */
package io.crmsync.store;
