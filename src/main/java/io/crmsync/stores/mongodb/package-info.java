/**
 * The MongoDB store: {@code crm-mongodb:} endpoints write planned writes as convergent field-wise upserts or exact
 * credit-ledger movements, batched in lanes, with processing records, index set-up, MongoDB's refusals classified,
 * and the directory that mappings' lookups read.
 */
package io.crmsync.stores.mongodb;
