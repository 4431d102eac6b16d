package io.crmsync.core.deadletter;

import java.net.ConnectException;
import java.util.List;

import io.crmsync.core.deadletter.FailureClassifier;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.ConcurrentWriteException;

/**
 * Sorts a failure: a reason code for the dead-letter entry, or "infrastructure", which is never dead-lettered. What a
 * store's or a source's own exceptions mean, they say themselves ({@link FailureClassifier}).
 */
public final class FailureKinds {

    private final List<FailureClassifier> classifiers;

    public FailureKinds(List<FailureClassifier> classifiers) {
        this.classifiers = List.copyOf(classifiers);
    }

    /**
     * True when a server was unreachable or too busy: the event itself is fine, so it stays pending and is
     * retried later instead of being dead-lettered (the delivery cap still bounds how often). A MongoDB write whose
     * write concern failed is one: the primary applied it, and its retry is idempotent (its store says so).
     */
    boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // a write that lost a race with another writer, or a refused connection, whichever server it was
            if (t instanceof ConcurrentWriteException || t instanceof ConnectException) {
                return true;
            }
            for (FailureClassifier classifier : classifiers) {
                if (classifier.isTransient(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    RejectReason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EventRejectedException rejected) {
                return rejected.reason();
            }
            for (FailureClassifier classifier : classifiers) {
                RejectReason reason = classifier.reason(t);
                if (reason != null) {
                    return reason;
                }
            }
        }
        return RejectReason.PROCESSING_ERROR;
    }
}
