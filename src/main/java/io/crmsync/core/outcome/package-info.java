/**
 * What is said once an event is done with: its processing record, its acknowledgment entry and its metrics.
 */
package io.crmsync.core.outcome;
