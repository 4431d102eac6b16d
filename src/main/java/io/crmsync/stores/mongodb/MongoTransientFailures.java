package io.crmsync.stores.mongodb;

import io.crmsync.core.deadletter.FailureClassifier;
import org.springframework.stereotype.Component;

/** MongoDB's side of sorting a failure for the dead-letter step: what {@link MongoFailures} counts as infrastructure. */
@Component
public final class MongoTransientFailures implements FailureClassifier {

    @Override
    public boolean isTransient(Throwable failure) {
        return MongoFailures.isInfrastructure(failure);
    }
}
