/**
 * Source adapters: the only code that knows where events come from. Each turns one source message into a
 * canonical event; routing and writes never see the source.
 */
package io.crmsync.sources.redis;
