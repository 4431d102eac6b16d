package io.crmsync.core.deadletter;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * For an exchange whose source moves its position past it once it returns, failed or not (Debezium's embedded
 * connector, a Kafka batch): its source route marks it with the exchange property {@value #PROPERTY}. Such an
 * exchange must not fail, so the error handling every source shares (routes/common.camel.yaml) waits out an outage
 * for it ({@link #outage()}), and the dead-letter route waits out any failure of its own write ({@link #marked()}).
 * A stream entry is not marked: it stays pending and is delivered again instead.
 */
public final class WaitOut implements Predicate {

    public static final String PROPERTY = "waitOutFailures";

    private final Predicate outage;

    private WaitOut(Predicate outage) {
        this.outage = outage;
    }

    /** A marked exchange that failed because a server was unreachable or too busy ({@link FailureKinds}). */
    public static WaitOut outage(InfrastructureFailure infrastructure) {
        return new WaitOut(infrastructure);
    }

    /** A marked exchange, whatever it failed with. */
    public static WaitOut marked() {
        return new WaitOut(exchange -> true);
    }

    @Override
    public boolean matches(Exchange exchange) {
        if (!exchange.getProperty(PROPERTY, false, Boolean.class)) {
            return false;
        }
        return outage.matches(exchange);
    }
}
