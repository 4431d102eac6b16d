package io.crmsync.core.mapping;

import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;

/**
 * The document a mapping's lookup names is not (yet) in MongoDB. Its own stream may simply be behind, so unlike other
 * rejections this one is retried with backoff (routes/common.camel.yaml) before it is dead-lettered with the reason
 * the lookup names, such as {@code organization-not-found}.
 */
public class LookupMissException extends EventRejectedException {

    public LookupMissException(RejectReason reason, String message) {
        super(reason, message);
    }
}
