package io.crmsync.camel.redisstreams;

import io.crmsync.camel.redisstreams.consumer.AckBatcher;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks an entry when its exchange completes, and leaves it pending when it fails. "Completes" includes a failure that
 * the error handler handled (a dead-letter channel), which is what makes dead-lettered entries acked.
 */
final class AckOnCompletion extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AckOnCompletion.class);

    private final AckBatcher acknowledger;
    private final String stream;
    private final String id;
    private final String group;
    private final String consumerName;
    private final Runnable leftPending;

    /** @param leftPending called when the entry is not acked, so a later reclaim may run it again */
    AckOnCompletion(AckBatcher acknowledger, String stream, String id, String group, String consumerName,
            Runnable leftPending) {
        this.acknowledger = acknowledger;
        this.stream = stream;
        this.id = id;
        this.group = group;
        this.consumerName = consumerName;
        this.leftPending = leftPending;
    }

    @Override
    public void onComplete(Exchange exchange) {
        acknowledger.ack(stream, id);
    }

    @Override
    public void onFailure(Exchange exchange) {
        LOG.warn("Entry {} of {} / {} / {} failed and stays pending for redelivery: {}", id, stream, group,
                consumerName, String.valueOf(exchange.getException()));
        leftPending.run();
    }
}
