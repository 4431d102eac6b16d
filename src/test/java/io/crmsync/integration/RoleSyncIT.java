package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * roles and userRoles: CONTRACT.md sections 1 and 3.
 */
class RoleSyncIT extends SyncITSupport {

    @Test
    void roleCreatedEnvelopeLandsInRoles() {
        String roleId = tenant + "-r1";
        String id = publish("crm:sync:role:role_created", fields("event", "{\"eventId\":\"" + tenant + "-e1\",\"eventType\":\"role.created\","
                + "\"source\":\"wrapper\",\"version\":\"1.0\",\"timestamp\":\"2024-01-15T10:00:00Z\",\"tenantId\":\"" + tenant + "\","
                + "\"data\":{\"roleId\":\"" + roleId + "\",\"roleName\":\"Sales\",\"description\":\"Sales team\",\"permissions\":[\"leads:read\"]}}"));

        awaitRecord("crm:sync:role:role_created", id);
        Document role = document("roles", roleId);
        assertThat(role.getString("roleName")).isEqualTo("Sales");
        assertThat(role.getList("permissions", String.class)).containsExactly("leads:read");
        assertThat(role.getString("tenantId")).isEqualTo(tenant);
    }

    @Test
    void anyEventOnRolePermissionsReplacesThePermissions() {
        String roleId = tenant + "-r2";
        awaitRecord("crm:sync:role:role_created", publishFlat("crm:sync:role:role_created", "role.created", roleId,
                "2024-01-15T10:00:00Z", "{\"roleName\":\"Ops\",\"permissions\":[\"a\",\"b\"]}"));
        // the type says "updated", but on this stream every event replaces the permissions
        String id = publishFlat("crm:sync:role_permissions", "role_updated", roleId, "2024-01-15T11:00:00Z",
                "{\"roleId\":\"" + roleId + "\",\"permissions\":[\"c\"],\"roleName\":\"not a permissions change\"}");

        assertThat(awaitRecord("crm:sync:role_permissions", id).getString("status")).isEqualTo("processed");
        assertThat(document("roles", roleId).getList("permissions", String.class)).as(document("roles", roleId).toJson()).containsExactly("c");
        assertThat(document("roles", roleId).getString("roleName")).isEqualTo("Ops");
    }

    @Test
    void roleUpdatedOnThePermissionsStreamUpdatesTheRole() {
        String roleId = tenant + "-r3";
        String id = publishFlat("crm:sync:permissions:role_updated", "role_updated", roleId, "2024-01-15T11:00:00Z",
                "{\"roleName\":\"Renamed\",\"updatedBy\":\"admin\"}");

        awaitRecord("crm:sync:permissions:role_updated", id);
        assertThat(document("roles", roleId).getString("roleName")).isEqualTo("Renamed");
        assertThat(document("roles", roleId).getString("updatedBy")).isEqualTo("admin");
    }

    @Test
    void roleDeletedIsATombstone() {
        String roleId = tenant + "-r4";
        String id = publishFlat("crm:sync:role:role_deleted", "role.deleted", roleId, "2024-01-15T12:00:00Z", "{}");

        awaitRecord("crm:sync:role:role_deleted", id);
        assertThat(document("roles", roleId).getBoolean("deleted")).isTrue();
        assertThat(document("roles", roleId).getString("deletedAt")).isEqualTo("2024-01-15T12:00:00Z");
    }

    @Test
    void roleAssignedThenUnassignedLeavesAnInactiveLink() {
        String userId = tenant + "-u1";
        String roleId = tenant + "-r5";
        String data = "{\"userId\":\"" + userId + "\",\"roleId\":\"" + roleId + "\",\"assignedBy\":\"admin\"}";
        awaitRecord("crm:sync:permissions:role_assigned",
                publishFlat("crm:sync:permissions:role_assigned", "role_assigned", userId, "2024-01-15T10:00:00Z", data));
        awaitRecord("crm:sync:permissions:role_unassigned",
                publishFlat("crm:sync:permissions:role_unassigned", "role_unassigned", userId, "2024-01-15T11:00:00Z", data));

        Document link = document("userRoles", userId + ":" + roleId);
        assertThat(link.getBoolean("active")).isFalse();
        assertThat(link.getString("assignedBy")).isEqualTo("admin");
        assertThat(link.getString("assignedAt")).isEqualTo("2024-01-15T10:00:00Z");
        assertThat(link.getString("unassignedAt")).isEqualTo("2024-01-15T11:00:00Z");
        assertThat(List.of(link.getString("userId"), link.getString("roleId"))).containsExactly(userId, roleId);
    }
}
