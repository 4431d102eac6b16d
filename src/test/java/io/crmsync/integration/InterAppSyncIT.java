package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * inter-app-events: applied only when addressed to the CRM; unhandled types archived (CONTRACT.md section 3).
 */
class InterAppSyncIT extends SyncITSupport {

    private static final String STREAM = "inter-app-events";

    @Test
    void eventForTheCrmOfATypeWithNoHandlerIsArchivedAsReceived() {
        String id = publish(STREAM, fields("eventId", tenant + "-i1", "eventType", "invoice.paid", "tenantId", tenant,
                "sourceApplication", "billing", "targetApplication", "crm", "eventData", "{\"invoiceId\":\"inv-1\",\"total\":12}"));

        assertThat(awaitRecord(STREAM, id).getString("status")).isEqualTo("processed");
        Document archived = document("interAppEvents", tenant + "-i1");
        assertThat(archived.getString("sourceApplication")).isEqualTo("billing");
        assertThat(archived.get("data", Document.class).getString("invoiceId")).isEqualTo("inv-1");
    }

    @Test
    void eventForAnotherApplicationIsSkipped() {
        String id = publish(STREAM, fields("eventId", tenant + "-i2", "eventType", "invoice.paid", "tenantId", tenant,
                "targetApplication", "billing", "eventData", "{}"));

        assertThat(awaitRecord(STREAM, id).getString("status")).isEqualTo("skipped");
        assertThat(document("interAppEvents", tenant + "-i2")).isNull();
    }

    @Test
    void eventOfAKnownTypeGoesToThatTypesHandler() {
        String id = publish(STREAM, fields("eventId", tenant + "-i3", "eventType", "user.created", "tenantId", tenant,
                "targetApplication", "*", "eventData", "{\"userId\":\"" + tenant + "-u1\",\"email\":\"x@example.com\"}"));

        awaitRecord(STREAM, id);
        assertThat(document("users", tenant + "-u1").getString("email")).isEqualTo("x@example.com");
    }
}
