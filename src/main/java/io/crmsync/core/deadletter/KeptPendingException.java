package io.crmsync.core.deadletter;

/**
 * Thrown by the dead-letter route for an infrastructure failure, so the exchange fails and its entry stays pending.
 */
public class KeptPendingException extends RuntimeException {

    public KeptPendingException(String stream, String entryId, Throwable cause) {
        super("entry " + entryId + " of " + stream + " kept pending after an infrastructure failure: " + cause.getMessage(), cause);
    }
}
