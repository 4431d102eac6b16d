package io.crmsync.core.write;

/**
 * A document kept changing while an event tried to write it; transient, so the error handler retries.
 */
public class ConcurrentWriteException extends RuntimeException {

    public ConcurrentWriteException(String message) {
        super(message);
    }
}
