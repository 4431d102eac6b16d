package io.crmsync.core.write;

import java.util.Locale;

/**
 * What applying an event did, as recorded in {@code eventProcessingRecords.status} and counted in metrics.
 */
public enum Outcome {
    /** Applied, or applied before by this same event (a redelivery). */
    PROCESSED,
    /** Every field it carries has a newer value already: nothing changed. */
    STALE,
    /** Not for this application, or nothing to write. */
    SKIPPED,
    /** Sent to the dead-letter stream. */
    DEADLETTERED;

    public String status() {
        return name().toLowerCase(Locale.ROOT);
    }
}
