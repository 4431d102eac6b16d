/**
 * Declarative mappings: what each event type writes, read from {@code *.mapping.yaml} files beside the routes, so an
 * integration engineer changes it without a rebuild. A store endpoint names the mapping it applies. A mapping plans
 * with plain values (BigDecimal, Instant, strings, lists, maps) and changes nothing: each store converts them.
 */
package io.crmsync.core.mapping;
