package io.crmsync.enrichment;

import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;

/**
 * The organization an event names is not (yet) in MongoDB. Its own stream may simply be behind, so unlike other
 * rejections this one is retried with backoff before it is dead-lettered.
 */
public class OrganizationNotFoundException extends EventRejectedException {

    public OrganizationNotFoundException(String message) {
        super(RejectReason.ORGANIZATION_NOT_FOUND, message);
    }
}
