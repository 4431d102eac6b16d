package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.crmsync.core.write.Keys;
import io.lettuce.core.XAddArgs;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The contract's invariants where they used to break: ties and epoch-second timestamps. */
class InvariantEdgesIT extends SyncITSupport {

    @Test
    void withinOneStreamTheLaterEntryOfTheSameMillisecondWins() {
        String stream = "crm:sync:role_permissions";
        String role = tenant + "-r";
        // two entries of one millisecond, no timestamps: entry order is the only truth, and -10 comes after -9
        long ms = System.currentTimeMillis() + 1_000;
        PUBLISHER.xadd(stream, new XAddArgs().id(ms + "-9"), fields("eventType", "role_permissions_updated",
                "tenantId", tenant, "data", "{\"roleId\":\"" + role + "\",\"permissions\":[\"first\"]}"));
        String last = PUBLISHER.xadd(stream, new XAddArgs().id(ms + "-10"), fields("eventType", "role_permissions_updated",
                "tenantId", tenant, "data", "{\"roleId\":\"" + role + "\",\"permissions\":[\"second\"]}"));

        awaitRecord(stream, last);
        awaitRecord(stream, ms + "-9");

        assertThat(document("roles", role).getList("permissions", String.class)).containsExactly("second");
    }

    @Test
    void acrossStreamsADeleteWinsATieAgainstANonDelete() {
        String user = tenant + "-tie";
        // the same instant; the creation's event id sorts after the deletion's, which used to decide
        String deleted = publish("crm:sync:user:user_deleted", fields("eventId", "a-deleted", "eventType", "user_deleted",
                "tenantId", tenant, "entityId", user, "timestamp", "2024-05-01T10:00:00Z", "data", "{}"));
        String created = publish("crm:sync:user:user_created", fields("eventId", "z-created", "eventType", "user_created",
                "tenantId", tenant, "entityId", user, "timestamp", "2024-05-01T10:00:00Z", "data", "{\"email\":\"t@x\"}"));
        awaitRecord("crm:sync:user:user_deleted", deleted);
        awaitRecord("crm:sync:user:user_created", created);

        Document document = document("users", user);
        assertThat(document.getBoolean("deleted")).isTrue();
        assertThat(document.getBoolean("isActive")).isFalse();
    }

    @Test
    void aTimestampInEpochSecondsIsReadAsSeconds() {
        String user = tenant + "-epoch";
        String created = publishFlat("crm:sync:user:user_created", "user_created", user, "2023-06-01T00:00:00Z",
                "{\"email\":\"e@x\"}");
        // 2024-06-01T00:00:00Z in seconds: read as milliseconds it would be January 1970, and lose to the creation
        String deleted = publish("crm:sync:user:user_deleted", fields("eventType", "user_deleted", "tenantId", tenant,
                "entityId", user, "timestamp", "1717200000", "data", "{}"));
        awaitRecord("crm:sync:user:user_created", created);
        awaitRecord("crm:sync:user:user_deleted", deleted);

        Document document = document("users", user);
        assertThat(document.getBoolean("isActive")).isFalse();
        assertThat(document.getString("deletedAt")).isEqualTo("2024-06-01T00:00:00Z");
        assertThat(List.of(document.getBoolean("deleted"))).containsExactly(true);
    }

    @Test
    void balanceKeysOfIdsWithColonsDoNotCollide() {
        // "{tenant}:x" + "y" and "{tenant}" + "x:y" used to be the same balance, {tenant}:x:y
        String first = publish("credit-events", fields("eventId", tenant + "-c1", "eventType", "credit.allocated",
                "tenantId", tenant + ":x", "userId", "y", "amount", "5"));
        String second = publish("credit-events", fields("eventId", tenant + "-c2", "eventType", "credit.allocated",
                "tenantId", tenant, "userId", "x:y", "amount", "7"));
        awaitRecord("credit-events", first);
        awaitRecord("credit-events", second);

        assertThat(document("eventProcessingRecords", "credit-events/" + second).getString("status")).isEqualTo("processed");
        assertThat(document("creditBalances", Keys.join(tenant + ":x", "y")).get("balance").toString()).isEqualTo("5");
        assertThat(document("creditBalances", Keys.join(tenant, "x:y")).get("balance").toString()).isEqualTo("7");
    }

    @Test
    void aCreditEventIdReusedWithAnotherAmountIsDeadLetteredAsAConflict() {
        String first = publish("credit-events", fields("eventId", tenant + "-dup", "eventType", "credit.allocated",
                "tenantId", tenant, "userId", "w", "amount", "10"));
        awaitRecord("credit-events", first);
        String reused = publish("credit-events", fields("eventId", tenant + "-dup", "eventType", "credit.consumed",
                "tenantId", tenant, "userId", "w", "amount", "10"));

        assertThat(awaitDeadLetter("credit-events", reused)).containsEntry("dlq.reason", "event-id-conflict");
        assertThat(document("creditBalances", tenant + ":w").get("balance").toString()).isEqualTo("10");
    }

    @Test
    void aDocumentTheCrmsOwnUniqueIndexRefusesFailsAloneAtOnceAsWriteRejected() {
        // the CRM's own rule, not crm-sync's: one user per email
        collection("users").createIndex(com.mongodb.client.model.Indexes.ascending("email"),
                new com.mongodb.client.model.IndexOptions().unique(true).sparse(true).name("email_unique"));
        try {
            String first = publishFlat("crm:sync:user:user_created", "user_created", tenant + "-a", "2024-01-01T00:00:00Z",
                    "{\"email\":\"" + tenant + "@same\"}");
            awaitRecord("crm:sync:user:user_created", first);
            String second = publishFlat("crm:sync:user:user_created", "user_created", tenant + "-b", "2024-01-01T00:00:00Z",
                    "{\"email\":\"" + tenant + "@same\"}");

            Map<String, String> deadLetter = awaitDeadLetter("crm:sync:user:user_created", second);
            assertThat(deadLetter).containsEntry("dlq.reason", "write-rejected").containsEntry("dlq.deliveryCount", "1");
            assertThat(deadLetter.get("dlq.error")).contains("email_unique");
            assertThat(document("users", tenant + "-a").getString("email")).isEqualTo(tenant + "@same");
        } finally {
            collection("users").dropIndex("email_unique");
        }
    }

    @Test
    void anExplicitNullInANewerEventClearsTheFieldAndInAnOlderOneDoesNot() {
        String org = tenant + "-o";
        awaitRecord("crm:sync:organization:org_created", publishFlat("crm:sync:organization:org_created", "org_created",
                org, "2024-01-01T00:00:00Z", "{\"organizationId\":\"" + org + "\",\"parentId\":\"p1\",\"name\":\"N\"}"));
        awaitRecord("crm:sync:organization:org_created", publishFlat("crm:sync:organization:org_created", "organization.updated",
                org, "2023-01-01T00:00:00Z", "{\"organizationId\":\"" + org + "\",\"name\":null}"));
        assertThat(document("organizations", org).getString("name")).as("an older null loses").isEqualTo("N");

        awaitRecord("crm:sync:organization:org_created", publishFlat("crm:sync:organization:org_created", "organization.updated",
                org, "2024-02-01T00:00:00Z", "{\"organizationId\":\"" + org + "\",\"parentId\":null}"));

        Document document = document("organizations", org);
        assertThat(document.containsKey("parentId")).isTrue();
        assertThat(document.get("parentId")).as("a newer null clears").isNull();
        assertThat(document.getString("name")).isEqualTo("N");
    }

    @Test
    void aLateEventOlderThanADeleteWritesNothingToTheDeletedDocument() {
        String org = tenant + "-gone";
        String stream = "crm:sync:organization:org_created";
        awaitRecord(stream, publishFlat(stream, "organization.deleted", org, "2024-03-01T00:00:00Z",
                "{\"organizationId\":\"" + org + "\"}"));
        // older than the delete, and naming fields the delete does not: it used to leave deleted and isActive both true
        String late = publishFlat(stream, "org_created", org, "2024-01-01T00:00:00Z",
                "{\"organizationId\":\"" + org + "\",\"name\":\"Late\",\"isActive\":true}");
        awaitRecord(stream, late);

        Document document = document("organizations", org);
        assertThat(document.getBoolean("deleted")).isTrue();
        assertThat(document).doesNotContainKeys("isActive", "name");
        assertThat(document("eventProcessingRecords", stream + "/" + late).getString("status")).isEqualTo("stale");
    }

    @Test
    void aDeleteRemovesWhatEarlierEventsWroteAndANewerEventBringsTheDocumentBack() {
        String user = tenant + "-back";
        awaitRecord("crm:sync:user:user_created", publishFlat("crm:sync:user:user_created", "user_created", user,
                "2024-01-01T00:00:00Z", "{\"email\":\"old@x\"}"));
        awaitRecord("crm:sync:user:user_deleted", publishFlat("crm:sync:user:user_deleted", "user_deleted", user,
                "2024-02-01T00:00:00Z", "{\"reason\":\"left\"}"));
        Document deleted = document("users", user);
        assertThat(deleted).containsEntry("deleted", true).containsEntry("isActive", false)
                .containsEntry("deletionReason", "left").doesNotContainKeys("email", "createdAt");

        awaitRecord("crm:sync:user:user_created", publishFlat("crm:sync:user:user_created", "user_created", user,
                "2024-03-01T00:00:00Z", "{\"email\":\"new@x\"}"));

        Document back = document("users", user);
        assertThat(back).doesNotContainKey("deleted").containsEntry("isActive", true).containsEntry("email", "new@x")
                .containsEntry("deletionReason", "left");
    }
}
