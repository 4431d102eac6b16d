/**
 * The store SPI: what a store endpoint ({@code crm-mongodb:}, {@code crm-postgres:}, or a new one) implements
 * ({@link io.crmsync.core.store.Store}), and what every store endpoint does alike, once ({@link
 * io.crmsync.core.store.StoreEndpoint}, {@link io.crmsync.core.store.StoreProducer}, {@link
 * io.crmsync.core.store.CulpritIsolation}). A new store is a package that extends these; nothing here names a store.
 */
package io.crmsync.core.store;
