package io.crmsync.camel.redisstreams;

/**
 * Set on an exchange, instead of running the route, when its entry has been delivered more than
 * {@code maxDeliveries} times. The route's error handler receives it with redeliveries exhausted, so a dead-letter
 * channel dead-letters the entry (reason {@link #REASON}) and the entry is acked.
 */
public class MaxDeliveriesExceededException extends RuntimeException {

    /** The dead-letter reason code for entries over the delivery cap. */
    public static final String REASON = "max-deliveries";

    private final String stream;
    private final String entryId;
    private final long deliveryCount;
    private final int maxDeliveries;

    public MaxDeliveriesExceededException(String stream, String entryId, long deliveryCount, int maxDeliveries) {
        super("Entry " + entryId + " of stream " + stream + " was delivered " + deliveryCount
                + " times, more than maxDeliveries " + maxDeliveries);
        this.stream = stream;
        this.entryId = entryId;
        this.deliveryCount = deliveryCount;
        this.maxDeliveries = maxDeliveries;
    }

    public String getStream() {
        return stream;
    }

    public String getEntryId() {
        return entryId;
    }

    public long getDeliveryCount() {
        return deliveryCount;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    public String getReason() {
        return REASON;
    }
}
