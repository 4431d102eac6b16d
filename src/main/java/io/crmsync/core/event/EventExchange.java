package io.crmsync.core.event;

import org.apache.camel.Exchange;

/**
 * Where a route keeps the canonical event and what became of it, so every stage after parsing reads the same names.
 */
public final class EventExchange {

    /** Exchange property holding the {@link CanonicalEvent}, kept while the body becomes a write. */
    public static final String EVENT = "crmEvent";
    /** Header with the normalised event type, for content-based routing in YAML ({@code ${header.eventType}}). */
    public static final String EVENT_TYPE = "eventType";
    public static final String EVENT_ID = "eventId";
    public static final String TENANT_ID = "tenantId";
    /** Header with the {@link io.crmsync.core.write.Outcome} of the write. */
    public static final String OUTCOME = "syncOutcome";
    /** Header with why a skipped event was skipped: its mapping's skip reason. */
    public static final String OUTCOME_REASON = "syncOutcomeReason";
    /** Exchange property: a store endpoint only maps the event, putting its write in the body, and writes nothing. */
    public static final String PLAN_ONLY = "crmPlanOnly";
    /** Exchange property: where the event's write went, {@code mongodb:<collection>/<id>} or {@code postgresql:<table>/<key>}. */
    public static final String TARGET = "crmTarget";
    /** Exchange property: {@code cdc} when the exchange carries a change event, whose source is no stream. */
    public static final String SOURCE_KIND = "crmSourceKind";
    /** Exchange property: the fields a dead letter keeps when the message never became an event (no JSON, say). */
    public static final String RAW_FIELDS = "crmRawFields";
    /**
     * Exchange property: when a re-driven entry was first dead-lettered for a healable reason (ISO-8601), copied to its
     * next dead letter so the parking lot's window counts from the first failure, not from the last re-drive.
     */
    public static final String FIRST_FAILED_AT = "crmFirstFailedAt";
    /** Exchange property: the key of the entity the event writes, once its mapping named it (for its record). */
    public static final String ENTITY_KEY = "crmEntityKey";
    /**
     * Exchange property: a repair. A lookup's mismatch relinks the record it found instead of refusing the event, and
     * a store rewrites what the event set even where its stamps say the event was applied.
     */
    public static final String RELINK = "crmRepair";

    private EventExchange() {
    }

    public static void attach(Exchange exchange, CanonicalEvent event) {
        exchange.setProperty(EVENT, event);
        exchange.getMessage().setBody(event);
        exchange.getMessage().setHeader(EVENT_TYPE, event.type());
        exchange.getMessage().setHeader(EVENT_ID, event.id());
        exchange.getMessage().setHeader(TENANT_ID, event.tenantId());
    }

    public static CanonicalEvent event(Exchange exchange) {
        return exchange.getProperty(EVENT, CanonicalEvent.class);
    }
}
