package io.crmsync.stores.postgres;

import java.sql.SQLException;

import io.crmsync.core.deadletter.FailureClassifier;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's side of sorting a failure for the dead-letter step: what {@link PostgresStore} retries rather than
 * refuses (a connection lost, a serialization failure, a deadlock). Declared whether or not a store is configured,
 * as the check is of an exception, not of a database.
 */
@Component
public final class PostgresFailures implements FailureClassifier {

    @Override
    public boolean isTransient(Throwable failure) {
        return failure instanceof SQLException sql && PostgresStore.isTransient(sql);
    }
}
