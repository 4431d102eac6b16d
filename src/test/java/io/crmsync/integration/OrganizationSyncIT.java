package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * organizations and organizationAssignments, with enrichment by organizationCode (CONTRACT.md section 3).
 */
class OrganizationSyncIT extends SyncITSupport {

    private static final String ORGS = "crm:sync:organization:org_created";
    private static final String ASSIGNMENTS = "crm:organization-assignments";

    private String publishOrganization(String orgId, String code) {
        return publishFlat(ORGS, "org_created", orgId, "2024-01-15T09:00:00Z",
                "{\"organizationId\":\"" + orgId + "\",\"orgCode\":\"" + code + "\",\"name\":\"Org " + code + "\",\"parentId\":null}");
    }

    private String publishAssignment(String type, String assignmentId, String dataJson) {
        return publish(ASSIGNMENTS, fields("event", "{\"eventId\":\"" + assignmentId + "-" + type + "\",\"eventType\":\"" + type
                + "\",\"source\":\"wrapper\",\"version\":\"1.0\",\"timestamp\":\"2024-01-15T10:00:0" + type.length() % 10
                + "Z\",\"tenantId\":\"" + tenant + "\",\"data\":" + dataJson + "}"));
    }

    @Test
    void orgCreatedLandsInOrganizationsAsSent() {
        String orgId = tenant + "-o1";
        awaitRecord(ORGS, publishOrganization(orgId, tenant + "-C1"));

        Document org = document("organizations", orgId);
        assertThat(org.getString("orgCode")).isEqualTo(tenant + "-C1");
        assertThat(org.getString("name")).isEqualTo("Org " + tenant + "-C1");
        assertThat(org.getString("tenantId")).isEqualTo(tenant);
    }

    @Test
    void assignmentIsEnrichedWithTheOrganizationItsCodeNames() {
        String orgId = tenant + "-o2";
        awaitRecord(ORGS, publishOrganization(orgId, tenant + "-C2"));
        String id = publishAssignment("organization.assignment.created", tenant + "-a1",
                "{\"assignmentId\":\"" + tenant + "-a1\",\"userId\":\"u1\",\"organizationCode\":\"" + tenant + "-C2\",\"role\":\"member\"}");

        awaitRecord(ASSIGNMENTS, id);
        Document assignment = document("organizationAssignments", tenant + "-a1");
        assertThat(assignment.getString("organizationId")).isEqualTo(orgId);
        assertThat(assignment.getString("organizationName")).isEqualTo("Org " + tenant + "-C2");
        assertThat(assignment.getString("role")).isEqualTo("member");
        assertThat(assignment.getBoolean("isActive")).isTrue();
    }

    @Test
    void assignmentWhoseOrganizationArrivesTwoSecondsLaterIsAppliedAfterRetries() throws Exception {
        String code = tenant + "-C3";
        String id = publishAssignment("organization.assignment.created", tenant + "-a2",
                "{\"assignmentId\":\"" + tenant + "-a2\",\"userId\":\"u1\",\"organizationCode\":\"" + code + "\"}");
        Thread.sleep(2000);
        publishOrganization(tenant + "-o3", code);

        assertThat(awaitRecord(ASSIGNMENTS, id).getString("status")).isEqualTo("processed");
        assertThat(document("organizationAssignments", tenant + "-a2").getString("organizationId")).isEqualTo(tenant + "-o3");
    }

    @Test
    void assignmentWhoseOrganizationNeverArrivesIsDeadLettered() {
        String id = publishAssignment("organization.assignment.created", tenant + "-a3",
                "{\"assignmentId\":\"" + tenant + "-a3\",\"userId\":\"u1\",\"organizationCode\":\"nowhere\"}");

        Map<String, String> dead = awaitDeadLetter(ASSIGNMENTS, id);
        assertThat(dead.get("dlq.reason")).isEqualTo("organization-not-found");
        assertThat(dead.get("event")).contains(tenant + "-a3");
        assertThat(document("organizationAssignments", tenant + "-a3")).isNull();
        assertThat(awaitRecord(ASSIGNMENTS, id).getString("status")).isEqualTo("deadlettered");
    }

    @Test
    void activatedDeactivatedAndDeletedFollowTheAssignment() {
        String orgId = tenant + "-o4";
        awaitRecord(ORGS, publishOrganization(orgId, tenant + "-C4"));
        String assignmentId = tenant + "-a4";
        awaitRecord(ASSIGNMENTS, publishAssignment("organization.assignment.created", assignmentId,
                "{\"assignmentId\":\"" + assignmentId + "\",\"organizationId\":\"" + orgId + "\"}"));
        // flat-field envelope: the same keys as fields, data as a JSON string
        awaitRecord(ASSIGNMENTS, publish(ASSIGNMENTS, fields("eventId", assignmentId + "-d", "eventType", "organization.assignment.deactivated",
                "timestamp", "2024-01-15T11:00:00Z", "tenantId", tenant, "data", "{\"assignmentId\":\"" + assignmentId + "\"}")));
        assertThat(document("organizationAssignments", assignmentId).getBoolean("isActive")).isFalse();

        awaitRecord(ASSIGNMENTS, publish(ASSIGNMENTS, fields("eventId", assignmentId + "-x", "eventType", "organization.assignment.deleted",
                "timestamp", "2024-01-15T12:00:00Z", "tenantId", tenant, "data", "{\"assignmentId\":\"" + assignmentId + "\"}")));
        // older than the delete: may not bring the assignment back
        awaitRecord(ASSIGNMENTS, publish(ASSIGNMENTS, fields("eventId", assignmentId + "-a", "eventType", "organization.assignment.activated",
                "timestamp", "2024-01-15T11:30:00Z", "tenantId", tenant, "data", "{\"assignmentId\":\"" + assignmentId + "\"}")));

        Document assignment = document("organizationAssignments", assignmentId);
        assertThat(assignment.getBoolean("deleted")).isTrue();
        assertThat(assignment.getBoolean("isActive")).isFalse();
        // the delete ended what came before it
        assertThat(assignment).doesNotContainKeys("organizationId", "deactivatedAt", "activatedAt");
    }
}
