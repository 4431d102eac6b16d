package io.crmsync.routing;

import java.util.Locale;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.persistence.Write;

/**
 * {@code inter-app-events}: only events addressed to the CRM are applied; those of a type no other route handles are
 * archived in {@code interAppEvents} as received.
 */
public class InterAppEvents {

    private final String application;

    public InterAppEvents(String application) {
        this.application = application.toLowerCase(Locale.ROOT);
    }

    public boolean isNotForUs(CanonicalEvent event) {
        String target = event.fields().get("targetApplication");
        if (target == null) {
            target = event.text("targetApplication");
        }
        return !(target == null || target.isBlank() || target.trim().equals("*")
                || target.trim().toLowerCase(Locale.ROOT).equals(application));
    }

    public Write notForUs(CanonicalEvent event) {
        return new Write.Skip("addressed to " + event.fields().get("targetApplication"));
    }

    public Write archived(CanonicalEvent event) {
        Fields fields = Fields.of();
        event.fields().forEach(fields::put);
        fields.put("eventType", event.type()).put("data", event.data());
        fields.map().remove("tenantId");
        fields.map().remove("eventData"); // kept parsed, as data
        return new Write.FieldUpdate("interAppEvents", event.id(), fields.map());
    }
}
