/**
 * The store- and source-neutral core's view of an event: where it was read ({@link io.crmsync.core.event.Provenance}).
 */
package io.crmsync.core.event;
