/**
 * Lookups that complete an event before it is written, such as an assignment's organization.
 */
package io.crmsync.stores.mongodb;
