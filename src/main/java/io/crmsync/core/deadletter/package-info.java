/**
 * What the dead-letter step asks of the stores and sources around the core: how their failures are sorted.
 */
package io.crmsync.core.deadletter;
