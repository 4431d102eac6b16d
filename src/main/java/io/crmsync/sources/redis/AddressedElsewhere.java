package io.crmsync.sources.redis;

import java.util.Locale;
import java.util.Set;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.springframework.stereotype.Component;

/**
 * The inter-app route's condition ({@code ref: addressedElsewhere}): the event's {@code targetApplication} names an
 * application other than {@code crm} or {@code *}, so it is not crm's to apply (docs/contract.md). A predicate bean
 * rather than a simple expression: simple calls a method of the event by bean introspection on a copy of the exchange
 * (docs/benchmarks.md).
 */
@Component("addressedElsewhere")
final class AddressedElsewhere implements Predicate {

    private static final Set<String> OURS = Set.of("crm", "*");

    @Override
    public boolean matches(Exchange exchange) {
        CanonicalEvent event = EventExchange.event(exchange);
        String target = event == null ? null : event.text("targetApplication");
        return target != null && !OURS.contains(target.strip().toLowerCase(Locale.ROOT));
    }
}
