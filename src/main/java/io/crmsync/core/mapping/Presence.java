package io.crmsync.core.mapping;

import io.crmsync.core.event.CanonicalEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * A mapping's condition on whether the event carries a value: {@code when: {present: organizationId}} or
 * {@code {absent: organizationId}}. The same question as a simple expression such as
 * {@code ${body.text('organizationId')} != null}, without Camel's bean introspection on a copy of the exchange at
 * every event (docs/benchmarks.md).
 */
record Presence(Value value, boolean present) implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        // the body, as for an expression in a mapping
        return (value.resolve(exchange.getMessage().getBody(CanonicalEvent.class), exchange) != null) == present;
    }

    @Override
    public String toString() {
        return (present ? "present: " : "absent: ") + value.describe();
    }
}
