package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * users: CONTRACT.md section 3, invariants 2 (idempotent), 3 (convergent) and 4 (tombstones).
 */
class UserSyncIT extends SyncITSupport {

    private static final String CREATED = "crm:sync:user:user_created";
    private static final String DEACTIVATED = "crm:sync:user:user_deactivated";
    private static final String DELETED = "crm:sync:user:user_deleted";

    @Test
    void userCreatedLandsInUsersWithItsTenant() {
        String id = publishFlat(CREATED, "user_created", tenant + "-u1", "2024-01-15T10:30:00Z",
                "{\"email\":\"ann@example.com\",\"firstName\":\"Ann\",\"lastName\":\"Lee\"}");

        Document user = awaitDocument("users", tenant + "-u1");
        assertThat(user.getString("tenantId")).isEqualTo(tenant);
        assertThat(user.getString("email")).isEqualTo("ann@example.com");
        assertThat(user.getString("name")).isEqualTo("Ann Lee");
        assertThat(user.getBoolean("isActive")).isTrue();
        assertThat(awaitRecord(CREATED, id).getString("status")).isEqualTo("processed");
    }

    @Test
    void deactivationConsumedBeforeAnOlderCreationKeepsTheUserInactiveYetNamed() {
        String userId = tenant + "-u2";
        String late = publishFlat(DEACTIVATED, "user_deactivated", userId, "2024-01-15T11:00:00Z",
                "{\"deactivatedBy\":\"admin\",\"reason\":\"left\"}");
        awaitRecord(DEACTIVATED, late);
        String early = publishFlat(CREATED, "user_created", userId, "2024-01-15T10:00:00Z",
                "{\"email\":\"bo@example.com\",\"firstName\":\"Bo\",\"isActive\":true}");
        awaitRecord(CREATED, early);

        Document user = document("users", userId);
        assertThat(user.getBoolean("isActive")).isFalse();
        assertThat(user.getString("email")).isEqualTo("bo@example.com");
        assertThat(user.getString("firstName")).isEqualTo("Bo");
        assertThat(user.getString("deactivatedBy")).isEqualTo("admin");
    }

    @Test
    void deletedUserIsNotResurrectedByALateOlderEvent() {
        String userId = tenant + "-u3";
        String delete = publishFlat(DELETED, "user_deleted", userId, "2024-01-15T12:00:00Z", "{\"deletedBy\":\"admin\"}");
        awaitRecord(DELETED, delete);
        String create = publishFlat(CREATED, "user_created", userId, "2024-01-15T10:00:00Z", "{\"email\":\"cy@example.com\"}");
        assertThat(awaitRecord(CREATED, create).getString("status")).isEqualTo("stale");

        Document user = document("users", userId);
        assertThat(user.getBoolean("deleted")).isTrue();
        assertThat(user.getBoolean("isActive")).isFalse();
        assertThat(user).doesNotContainKey("email");
    }

    @Test
    void theSameEventPublishedTwiceChangesNothing() {
        String userId = tenant + "-u4";
        var event = fields("eventId", tenant + "-e4", "timestamp", "2024-01-15T10:00:00Z", "eventType", "user_created",
                "entityId", userId, "tenantId", tenant, "data", "{\"email\":\"dee@example.com\"}");
        awaitRecord(CREATED, publish(CREATED, event));
        Document before = document("users", userId);

        String again = publish(CREATED, event);

        assertThat(awaitRecord(CREATED, again).getString("status")).isEqualTo("processed");
        assertThat(document("users", userId)).isEqualTo(before);
    }
}
