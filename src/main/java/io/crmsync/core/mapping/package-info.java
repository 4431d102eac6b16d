/**
 * Declarative mappings: what each event type writes, read from {@code *.mapping.yaml} files beside the routes, so an
 * integration engineer changes it without a rebuild. A store endpoint names the mapping it applies.
 */
package io.crmsync.core.mapping;
