package io.crmsync.core.deadletter;

import io.crmsync.core.event.RejectReason;

/**
 * What a store or a source knows of its own failures, so the dead-letter step sorts them without importing it. Each
 * store and source provides one as a bean; the dead-letter step asks them all, for the failure and each of its causes.
 */
@FunctionalInterface
public interface FailureClassifier {

    /**
     * True when this throwable says a server was unreachable or too busy, so the same write may succeed later: the
     * event is kept pending (or, for a change, waited out) instead of dead-lettered. Causes are asked separately.
     */
    boolean isTransient(Throwable failure);

    /** The dead-letter reason this throwable stands for, or null when it is not one this classifier knows. */
    default RejectReason reason(Throwable failure) {
        return null;
    }
}
