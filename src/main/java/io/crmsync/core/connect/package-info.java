/**
 * Connection URLs shared by a source and a store (the captured PostgreSQL and the leads store take the same form).
 */
package io.crmsync.core.connect;
