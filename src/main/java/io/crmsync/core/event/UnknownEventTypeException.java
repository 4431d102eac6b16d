package io.crmsync.core.event;

/**
 * No route handles this event type; thrown from a content-based router's otherwise branch.
 */
public class UnknownEventTypeException extends EventRejectedException {

    public UnknownEventTypeException(String message) {
        super(RejectReason.UNKNOWN_EVENT_TYPE, message);
    }
}
