/**
 * The MongoDB store endpoints ({@code crm-mongodb:}): the {@code to:} URIs of the routes that write an event, naming the target,
 * and applying a declared mapping.
 */
package io.crmsync.store;
