package io.crmsync.core.outcome;

import java.util.List;

/**
 * Where processing records are kept. The core says what became of each message; the store that keeps the app's own
 * bookkeeping (MongoDB's {@code eventProcessingRecords}, whatever store the event itself was written to) implements
 * this, and the ops tools read it there.
 */
public interface OutcomeRecords {

    /**
     * Writes the records of many messages at once; a message recorded before (an earlier delivery) has its record
     * replaced, as a record says what became of the latest delivery. Throws when they are not durable.
     */
    void recordAll(List<OutcomeRecord> records);
}
