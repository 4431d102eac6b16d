package io.crmsync.stores.mongodb;

import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import org.bson.BsonSerializationException;

/**
 * Sorts what MongoDB (or its driver) answers a write: an infrastructure failure, after which the same write may succeed
 * (the entry stays pending and is retried), or a refusal of the write itself, which no retry changes (the event is
 * dead-lettered as {@code write-rejected}).
 */
public final class MongoFailures {

    // server codes that say "not now" rather than "not this": elections, shutdowns, time limits, write concern, privileges
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            6, // HostUnreachable
            7, // HostNotFound
            13, // Unauthorized: every write would fail alike until the user is granted the role
            18, // AuthenticationFailed
            24, // LockTimeout
            46, // LockBusy
            50, // MaxTimeMSExpired
            63, // StaleShardVersion
            64, // WriteConcernFailed: wtimeout expired
            89, // NetworkTimeout
            91, // ShutdownInProgress
            100, // UnsatisfiableWriteConcern: too few members up for the majority
            112, // WriteConflict
            117, // ConflictingOperationInProgress
            133, // FailedToSatisfyReadPreference
            134, // ReadConcernMajorityNotAvailableYet
            150, // StaleEpoch
            175, // QueryPlanKilled
            189, // PrimarySteppedDown
            202, // NetworkInterfaceExceededTimeLimit
            262, // ExceededTimeLimit
            279, // ClientDisconnect
            9001, // SocketException
            10107, // NotWritablePrimary
            11600, // InterruptedAtShutdown
            11601, // Interrupted
            11602, // InterruptedDueToReplStateChange
            13388, // StaleConfig
            13435, // NotPrimaryNoSecondaryOk
            13436, // NotPrimaryOrSecondary
            16500); // Azure Cosmos DB's "request rate is large": a throttle, not a refusal

    private MongoFailures() {
    }

    /**
     * True when the write may succeed later as it is: MongoDB unreachable, electing, shutting down, out of time, or
     * unable to acknowledge it with the majority (a {@code writeConcernError}: the primary applied the write, so the
     * event must not be dead-lettered; its retry is idempotent).
     */
    public static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoSocketException || t instanceof MongoTimeoutException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException
                    || t instanceof MongoExecutionTimeoutException || t instanceof MongoInterruptedException
                    || t instanceof MongoSecurityException || t instanceof MongoOperationTimeoutException
                    || t instanceof MongoConnectionPoolClearedException || t instanceof MongoServerUnavailableException
                    || isUnacknowledged(t)) {
                return true;
            }
            if (t instanceof MongoException mongo && (TRANSIENT_CODES.contains(mongo.getCode())
                    || mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                    || mongo.hasErrorLabel("RetryableWriteError"))) {
                return true;
            }
        }
        return false;
    }

    /** A write the server applied (or may have) but could not acknowledge with its write concern. */
    public static boolean isUnacknowledged(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoWriteConcernException
                    || t instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() != null
                    || t instanceof MongoException mongo && (mongo.getCode() == 64 || mongo.getCode() == 100)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when MongoDB (or the driver, before sending it) refused a write for what it holds: too deep (15), too large
     * (10334, 17419, or the driver's own size check), a validator's refusal (121), a bad value (2). Retried alone, the
     * same write is refused again; the other writes of its batch are not to blame.
     */
    public static boolean isRefusal(Throwable failure) {
        if (isInfrastructure(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoServerException || t instanceof BsonSerializationException) {
                return true;
            }
        }
        return false;
    }

    /** The failure as a log or health detail shows it: its class, server code and message, no URI. */
    static String describe(Throwable failure) {
        String code = failure instanceof MongoException mongo && mongo.getCode() > 0 ? " (code " + mongo.getCode() + ")" : "";
        if (failure instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() != null) {
            return "writeConcernError " + bulk.getWriteConcernError().getCodeName() + " (code "
                    + bulk.getWriteConcernError().getCode() + "): " + bulk.getWriteConcernError().getMessage();
        }
        return failure.getClass().getSimpleName() + code + ": " + failure.getMessage();
    }
}
