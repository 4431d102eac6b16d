package io.crmsync.core.event;

/**
 * An event that can never be applied as it is: retrying cannot help, so the error handler dead-letters it at once.
 */
public class EventRejectedException extends RuntimeException {

    private final RejectReason reason;

    public EventRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public EventRejectedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
