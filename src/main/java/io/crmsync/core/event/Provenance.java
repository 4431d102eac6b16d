package io.crmsync.core.event;

import org.apache.camel.Exchange;

/**
 * Where a message was read, as its source adapter says it before parsing: the dead letter of a message that never
 * became a {@link io.crmsync.core.event.CanonicalEvent} (no JSON, a refused envelope, an entry over the delivery cap) still
 * names its source and position, and the steps after the source read no source's own headers.
 *
 * @param source   a stream key, a topic, {@code debezium:<slot>}; the event's {@code source} once parsed
 * @param position a stream entry id, {@code partition:offset}, an LSN; the event's {@code position} once parsed
 * @param group    the consumer group it was read through, null where the source has none
 * @param consumer the consumer within that group, null where the source has none
 * @param attempts deliveries of this message so far, this one included (1 where the source does not count them)
 */
public record Provenance(String source, String position, String group, String consumer, long attempts) {

    /** Exchange property holding the provenance; a property, so it outlives the dead-letter channel's original message. */
    public static final String PROPERTY = "crmProvenance";

    /** A message of a source that neither groups consumers nor counts deliveries. */
    public Provenance(String source, String position) {
        this(source, position, null, null, 1);
    }

    /** The exchange's provenance, null when no source adapter has handled it. */
    public static Provenance of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Provenance.class);
    }

    public Provenance attachTo(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
        return this;
    }

    /** The same message, at the position its parsed event names (a change's LSN becomes its row's position). */
    public Provenance at(String position) {
        return new Provenance(source, position, group, consumer, attempts);
    }

    /** The key of its processing record: {@code <source>/<position>}. */
    public String origin() {
        return source + "/" + position;
    }
}
