/**
 * The dead-letter stream: what an entry that cannot be applied becomes, and the reason code users filter on.
 */
package io.crmsync.core.deadletter;
