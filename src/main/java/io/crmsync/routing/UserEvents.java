package io.crmsync.routing;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.persistence.Write;

/**
 * {@code users}: created, deactivated, deleted (a tombstone, never a removal).
 */
public class UserEvents {

    public Write created(CanonicalEvent event) {
        Fields fields = Fields.data(event, "userId", "id")
                .putIfAbsent("isActive", true)
                .putIfAbsent("createdAt", event.time().toString());
        String first = event.text("firstName");
        String last = event.text("lastName");
        if (event.text("name") == null && (first != null || last != null)) {
            fields.put("name", ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim());
        }
        return new Write.FieldUpdate("users", userId(event), fields.map());
    }

    public Write deactivated(CanonicalEvent event) {
        Fields fields = Fields.of()
                .put("isActive", false)
                .put("deactivatedAt", orEventTime(event, "deactivatedAt"))
                .alias(event, "deactivatedBy", "deactivatedBy", "performedBy")
                .alias(event, "deactivationReason", "deactivationReason", "reason");
        return new Write.FieldUpdate("users", userId(event), fields.map());
    }

    public Write deleted(CanonicalEvent event) {
        Fields fields = Fields.of()
                .put("deleted", true)
                .put("isActive", false)
                .put("deletedAt", orEventTime(event, "deletedAt"))
                .alias(event, "deletedBy", "deletedBy", "performedBy")
                .alias(event, "deletionReason", "deletionReason", "reason");
        return new Write.FieldUpdate("users", userId(event), fields.map());
    }

    private static String userId(CanonicalEvent event) {
        return event.entityId() != null ? event.entityId() : event.requiredAny("userId", "id");
    }

    static String orEventTime(CanonicalEvent event, String key) {
        String sent = event.text(key);
        return sent != null ? sent : event.time().toString();
    }
}
