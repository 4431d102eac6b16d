/**
 * Source adapters: the only code that knows where events come from. Each turns one source message into a
 * canonical event, and says where it was read ({@link io.crmsync.core.event.Provenance}) before parsing it, so the
 * dead-letter and outcome steps read neither a source's headers nor its classes; routing and writes never see the source.
 */
package io.crmsync.source;
