/**
 * What the outcome step asks of the store that keeps processing records.
 */
package io.crmsync.core.outcome;
