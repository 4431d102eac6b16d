package io.crmsync.routing;

import static io.crmsync.routing.UserEvents.orEventTime;

import io.crmsync.enrichment.OrganizationDirectory;
import io.crmsync.enrichment.OrganizationDirectory.Organization;
import io.crmsync.event.CanonicalEvent;
import io.crmsync.persistence.Write;

/**
 * {@code organizations} (as sent) and {@code organizationAssignments} (as sent, plus the organization it names).
 */
public class OrganizationEvents {

    private final OrganizationDirectory directory;

    public OrganizationEvents(OrganizationDirectory directory) {
        this.directory = directory;
    }

    public Write organizationUpserted(CanonicalEvent event) {
        return new Write.FieldUpdate("organizations", organizationId(event), Fields.data(event).map());
    }

    public Write organizationDeleted(CanonicalEvent event) {
        return new Write.FieldUpdate("organizations", organizationId(event),
                Fields.of().put("deleted", true).put("deletedAt", orEventTime(event, "deletedAt")).map());
    }

    public Write assignmentUpserted(CanonicalEvent event) {
        Fields fields = Fields.data(event, "assignmentId");
        String organizationId = event.text("organizationId");
        if (organizationId != null) {
            directory.byId(event.tenantId(), organizationId); // must exist: a dangling assignment is worse than a late one
        } else {
            Organization organization = directory.byCode(event.tenantId(), event.requiredAny("organizationCode", "organizationId"));
            fields.put("organizationId", organization.id()).putIfAbsent("organizationName", organization.name());
        }
        fields.putIfAbsent("isActive", true);
        return new Write.FieldUpdate("organizationAssignments", assignmentId(event), fields.map());
    }

    public Write assignmentActivated(CanonicalEvent event) {
        return assignmentState(event, true, "activatedAt");
    }

    public Write assignmentDeactivated(CanonicalEvent event) {
        return assignmentState(event, false, "deactivatedAt");
    }

    public Write assignmentDeleted(CanonicalEvent event) {
        return new Write.FieldUpdate("organizationAssignments", assignmentId(event), Fields.of()
                .put("deleted", true).put("isActive", false).put("deletedAt", orEventTime(event, "deletedAt")).map());
    }

    private Write assignmentState(CanonicalEvent event, boolean active, String timeField) {
        return new Write.FieldUpdate("organizationAssignments", assignmentId(event), Fields.of()
                .put("isActive", active).put(timeField, orEventTime(event, timeField)).map());
    }

    private static String organizationId(CanonicalEvent event) {
        String inData = event.text("organizationId") != null ? event.text("organizationId") : event.text("orgId");
        if (inData != null) {
            return inData;
        }
        return event.entityId() != null ? event.entityId() : event.requiredAny("organizationId", "orgId");
    }

    private static String assignmentId(CanonicalEvent event) {
        String inData = event.text("assignmentId");
        if (inData != null) {
            return inData;
        }
        return event.entityId() != null ? event.entityId() : event.required("assignmentId");
    }
}
