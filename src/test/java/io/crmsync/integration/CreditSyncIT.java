package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/**
 * creditLedger, creditBalances, creditConfigs and per-tenant credit streams (CONTRACT.md sections 1 and 3).
 */
class CreditSyncIT extends SyncITSupport {

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    private BigDecimal balance(String entityId) {
        Document balance = document("creditBalances", tenant + ":" + entityId);
        return balance == null ? null : ((Decimal128) balance.get("balance")).bigDecimalValue();
    }

    @Test
    void allocatedAndConsumedOnEveryShapeSumToAnExactBalance() {
        String user = tenant + "-u1";
        publishFlat("crm:sync:credits:credit_allocated", "credit_allocated", user, "2024-01-15T10:00:00Z",
                "{\"userId\":\"" + user + "\",\"amount\":100.10,\"operationId\":\"op1\"}");
        publishFlat("crm:sync:credits:credit_consumed", "credit_consumed", user, "2024-01-15T10:01:00Z",
                "{\"userId\":\"" + user + "\",\"amount\":30.05,\"operationId\":\"op2\"}");
        String last = publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant,
                "userId", user, "amount", "0.20", "eventId", tenant + "-bare1"));

        awaitRecord("credit-events", last);
        await().atMost(PROCESSING).until(() -> new BigDecimal("70.25").equals(balance(user)));
        assertThat(collection("creditLedger").countDocuments(Filters.eq("entityId", user))).isEqualTo(3);
        Document consumed = collection("creditLedger").find(Filters.and(Filters.eq("entityId", user),
                Filters.eq("operationId", "op2"))).first();
        assertThat(((Decimal128) consumed.get("amount")).bigDecimalValue()).isEqualByComparingTo("-30.05");
        assertThat(consumed.getString("operationType")).isEqualTo("consumed");
    }

    @Test
    void anAmountBeyondTheLimitAmongValidOnesIsTheOnlyOneDeadLetteredAndTheWalletGoesOn() {
        String user = tenant + "-u-big";
        publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant, "userId", user,
                "amount", "10.50", "eventId", tenant + "-big1"));
        // parses, and Decimal128 holds it alone: a wallet holding it could add nothing else
        String poison = publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant, "userId", user,
                "amount", "1e400", "eventId", tenant + "-big2"));
        publish("credit-events", fields("eventType", "credit.consumed", "tenantId", tenant, "userId", user,
                "amount", "0.25", "eventId", tenant + "-big3"));
        String last = publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant, "userId", user,
                "amount", "4", "eventId", tenant + "-big4"));

        Map<String, String> deadLetter = awaitDeadLetter("credit-events", poison);
        awaitRecord("credit-events", last);

        assertThat(deadLetter.get("dlq.reason")).isEqualTo("invalid-field");
        assertThat(deadLetter.get("dlq.error")).contains("1e400", tenant + "-big2", "1000000000000000");
        assertThat(balance(user)).isEqualByComparingTo("14.25");
        assertThat(collection("creditLedger").countDocuments(Filters.eq("entityId", user))).isEqualTo(3);
        assertThat(collection("creditLedger").find(Filters.eq("_id", tenant + "-big2")).first()).isNull();
    }

    @Test
    void aLedgerEntryLeftOutOfItsBalanceIsFoldedByTheReconcileRoute() {
        String user = tenant + "-u-r";
        String last = publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant,
                "userId", user, "amount", "10", "eventId", tenant + "-r1"));
        awaitRecord("credit-events", last);
        // what a crash between the two steps leaves, followed by a dead letter: the entry recorded, never folded
        collection("creditLedger").insertOne(new Document("_id", tenant + "-r2").append("tenantId", tenant)
                .append("entityId", user).append("amount", new Decimal128(new BigDecimal("2.5")))
                .append("timestamp", "2024-01-15T10:00:00Z").append("folded", false)
                .append("recordedAt", "2024-01-15T10:00:00Z"));

        int found = ledgerReconcile.run();

        assertThat(found).isEqualTo(1);
        assertThat(balance(user)).isEqualByComparingTo("12.5");
        assertThat(collection("creditLedger").find(Filters.eq("_id", tenant + "-r2")).first().get("folded")).isEqualTo(true);
        assertThat(ledgerReconcile.run()).isZero();
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.crmsync.config.LedgerReconcile ledgerReconcile;

    @Test
    void theSameCreditEventsTwiceKeepTheBalanceExact() {
        String user = tenant + "-u2";
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                publish("credit-events", fields("eventType", i % 2 == 0 ? "credit.allocated" : "credit.consumed",
                        "tenantId", tenant, "userId", user, "amount", "5", "eventId", tenant + "-c" + i));
            }
        }
        String marker = publish("credit-events", fields("eventType", "credit.allocated", "tenantId", tenant,
                "userId", user, "amount", "1", "eventId", tenant + "-marker"));

        awaitRecord("credit-events", marker);
        assertThat(balance(user)).isEqualByComparingTo("1");
        assertThat(collection("creditLedger").countDocuments(Filters.eq("entityId", user))).isEqualTo(11);
    }

    @Test
    void creditConfigIsKeyedByTenantAndEntity() {
        String id = publishFlat("crm:sync:credits:credit_config_updated", "credit_config_updated", "plan-1",
                "2024-01-15T10:00:00Z", "{\"monthlyLimit\":500,\"rollover\":true}");

        awaitRecord("crm:sync:credits:credit_config_updated", id);
        Document config = document("creditConfigs", tenant + ":plan-1");
        assertThat(config.getInteger("monthlyLimit")).isEqualTo(500);
        assertThat(config.getBoolean("rollover")).isTrue();
    }

    @Test
    void newlyActiveTenantsCreditStreamIsConsumedWithoutARestart() {
        collection("tenants").insertOne(new Document("_id", tenant).append("tenantId", tenant).append("status", "active"));
        String user = tenant + "-u3";
        String id = publish("credit-events:" + tenant, fields("eventType", "credit.allocated", "tenantId", tenant,
                "userId", user, "amount", "42"));

        awaitRecord("credit-events:" + tenant, id);
        assertThat(balance(user)).isEqualByComparingTo("42");
    }

    @Test
    void deactivatedTenantsStreamStopsBeingConsumed() {
        collection("tenants").insertOne(new Document("_id", tenant).append("status", "active"));
        await().atMost(PROCESSING).until(() -> camel.getRoute("tenant-credit-events-" + tenant) != null);

        collection("tenants").updateOne(Filters.eq("_id", tenant), new Document("$set", new Document("status", "suspended")));

        await().atMost(PROCESSING).until(() -> camel.getRoute("tenant-credit-events-" + tenant) == null);
        String id = publish("credit-events:" + tenant, fields("eventType", "credit.allocated", "tenantId", tenant,
                "userId", "u", "amount", "1"));
        assertThat(PUBLISHER.xpending("credit-events:" + tenant, "crm-consumers").getCount()).isZero();
        assertThat(document("eventProcessingRecords", "credit-events:" + tenant + "/" + id)).isNull();
    }

    @Test
    void tenantStreamCarryingAnotherTenantsEventIsRefused() {
        collection("tenants").insertOne(new Document("_id", tenant).append("status", "active"));
        String id = publish("credit-events:" + tenant, fields("eventType", "credit.allocated", "tenantId", "someone-else",
                "userId", "u", "amount", "42"));

        assertThat(awaitDeadLetter("credit-events:" + tenant, id).get("dlq.reason")).isEqualTo("tenant-mismatch");
    }
}
