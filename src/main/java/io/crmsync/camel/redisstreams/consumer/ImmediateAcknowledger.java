package io.crmsync.camel.redisstreams.consumer;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks each entry as it completes. An ack that fails is handed to the fallback (a batching acknowledger) so it is
 * retried rather than lost.
 */
final class ImmediateAcknowledger implements Acknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(ImmediateAcknowledger.class);

    private final AckSender sender;
    private final Acknowledger retries;
    private final AckListener listener;

    ImmediateAcknowledger(AckSender sender, Acknowledger retries, AckListener listener) {
        this.sender = sender;
        this.retries = retries;
        this.listener = listener;
    }

    @Override
    public void ack(String stream, String id) {
        try {
            sender.send(stream, List.of(id));
            listener.acked(stream, List.of(id));
        } catch (RuntimeException e) {
            LOG.debug("XACK {} {} failed, queued for retry: {}", stream, id, e.getMessage());
            retries.ack(stream, id);
        }
    }

    @Override
    public boolean flush() {
        return retries.flush();
    }

    @Override
    public int queued() {
        return retries.queued();
    }

    @Override
    public void close() {
        retries.close();
    }
}
