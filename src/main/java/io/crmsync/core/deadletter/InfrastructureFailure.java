package io.crmsync.core.deadletter;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * True when the exchange failed because a server was unreachable or too busy (see {@link FailureKinds}): the
 * {@code onWhen} of error handlers that must wait such a failure out instead of dead-lettering the event, as the
 * CDC sources do, whose position moves on once an exchange returns.
 */
public class InfrastructureFailure implements Predicate {

    private final FailureKinds kinds;

    public InfrastructureFailure(FailureKinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return kinds.isInfrastructure(failure);
    }
}
