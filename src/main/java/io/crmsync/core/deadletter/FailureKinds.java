package io.crmsync.core.deadletter;

import java.net.ConnectException;
import java.sql.SQLException;

import io.crmsync.camel.redisstreams.MaxDeliveriesExceededException;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.ConcurrentWriteException;
import io.crmsync.stores.mongodb.MongoFailures;
import io.crmsync.stores.postgres.PostgresStore;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

/**
 * Sorts a failure: a reason code for the dead-letter entry, or "infrastructure", which is never dead-lettered.
 */
final class FailureKinds {

    private FailureKinds() {
    }

    /**
     * True when a server was unreachable or too busy: the event itself is fine, so it stays pending and is
     * retried later instead of being dead-lettered (the delivery cap still bounds how often). A MongoDB write whose
     * write concern failed is one: the primary applied it, and its retry is idempotent (see {@link MongoFailures}).
     */
    static boolean isInfrastructure(Throwable failure) {
        if (MongoFailures.isInfrastructure(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException
                    || t instanceof ConcurrentWriteException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && PostgresStore.isTransient(sql)) {
                return true;
            }
        }
        return false;
    }

    static RejectReason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EventRejectedException rejected) {
                return rejected.reason();
            }
            if (t instanceof MaxDeliveriesExceededException) {
                return RejectReason.MAX_DELIVERIES;
            }
        }
        return RejectReason.PROCESSING_ERROR;
    }
}
