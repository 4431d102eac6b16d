package io.crmsync.routing;

import static io.crmsync.routing.UserEvents.orEventTime;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.persistence.Write;

/**
 * {@code roles} (created, updated, deleted, permissions replaced) and {@code userRoles} (assigned, unassigned).
 */
public class RoleEvents {

    public Write upserted(CanonicalEvent event) {
        Fields fields = Fields.data(event, "roleId", "id")
                .putIfAbsent("updatedAt", event.time().toString());
        return new Write.FieldUpdate("roles", roleId(event), fields.map());
    }

    public Write deleted(CanonicalEvent event) {
        Fields fields = Fields.of()
                .put("deleted", true)
                .put("deletedAt", orEventTime(event, "deletedAt"))
                .alias(event, "deletedBy", "deletedBy", "updatedBy");
        return new Write.FieldUpdate("roles", roleId(event), fields.map());
    }

    /** Any event on the role-permissions stream replaces the role's whole permission list. */
    public Write permissionsReplaced(CanonicalEvent event) {
        Object permissions = event.data().get("permissions");
        if (permissions == null) {
            event.required("permissions");
        }
        Fields fields = Fields.of()
                .put("permissions", permissions)
                .put("updatedAt", orEventTime(event, "updatedAt"))
                .alias(event, "updatedBy", "updatedBy");
        return new Write.FieldUpdate("roles", roleId(event), fields.map());
    }

    public Write assigned(CanonicalEvent event) {
        Fields fields = link(event)
                .put("active", true)
                .put("assignedAt", orEventTime(event, "assignedAt"))
                .alias(event, "assignedBy", "assignedBy", "performedBy");
        return new Write.FieldUpdate("userRoles", linkId(event), fields.map());
    }

    public Write unassigned(CanonicalEvent event) {
        Fields fields = link(event)
                .put("active", false)
                .put("unassignedAt", orEventTime(event, "unassignedAt"))
                .alias(event, "unassignedBy", "unassignedBy", "performedBy");
        return new Write.FieldUpdate("userRoles", linkId(event), fields.map());
    }

    private static Fields link(CanonicalEvent event) {
        return Fields.of().put("userId", event.required("userId")).put("roleId", event.required("roleId"));
    }

    private static String linkId(CanonicalEvent event) {
        return event.required("userId") + ":" + event.required("roleId");
    }

    private static String roleId(CanonicalEvent event) {
        String inData = event.text("roleId");
        if (inData != null) {
            return inData;
        }
        return event.entityId() != null ? event.entityId() : event.required("roleId");
    }
}
