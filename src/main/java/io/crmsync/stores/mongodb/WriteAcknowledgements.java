package io.crmsync.stores.mongodb;

import java.time.Instant;

/**
 * Whether MongoDB acknowledges writes with the majority they need. A replica set that has lost its majority still has
 * a primary that takes writes, so the driver's view of the cluster looks healthy; only the writes themselves find out,
 * when their write concern times out. They report here, and readiness reads it.
 */
public final class WriteAcknowledgements {

    /** The latest write that was not acknowledged in time, and why. */
    public record Failure(Instant at, String error) {
    }

    // null while the latest write (or none) was acknowledged
    private volatile Failure failing;

    /** A write was acknowledged: whatever failed before has recovered. */
    public void acknowledged() {
        failing = null;
    }

    /** A write was applied or sent, but its write concern failed (or timed out). */
    public void unacknowledged(Throwable failure) {
        failing = new Failure(Instant.now(), MongoFailures.describe(failure));
    }

    /** The failure since which no write has been acknowledged, or null. */
    public Failure failing() {
        return failing;
    }
}
