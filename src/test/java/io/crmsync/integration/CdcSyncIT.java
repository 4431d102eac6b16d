package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;

/** docs/contract.md section 7: rows of the loyalty team's PostgreSQL, captured by the embedded Debezium source. */
class CdcSyncIT extends SyncITSupport {

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    @org.springframework.beans.factory.annotation.Autowired
    io.crmsync.ops.ParkingLot parkingLot;

    private static final Logger LOG = LoggerFactory.getLogger(CdcSyncIT.class);
    static final String SOURCE = "debezium:crm_cdc_slot";

    @Test
    void a_purchase_row_inserted_updated_and_deleted_ends_as_a_tombstoned_document_with_its_last_values() throws Exception {
        String id = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger values ('" + id + "', '" + tenant + "', 'u-1', 'm-1', 12.50, "
                + "'pending', true, '2026-11-30T10:00:00Z')");
        LoyaltyDatabase.execute("update purchase_ledger set status = 'paid', final_amount = 13.75 where id = '" + id + "'");
        awaitDocument("purchases", id);
        await().atMost(PROCESSING).until(() -> "paid".equals(document("purchases", id).getString("status")));
        LoyaltyDatabase.execute("delete from purchase_ledger where id = '" + id + "'");

        Document purchase = await().atMost(PROCESSING).until(() -> document("purchases", id),
                d -> Boolean.TRUE.equals(d.getBoolean("deleted")));
        assertThat(purchase.getString("tenantId")).isEqualTo(tenant);
        assertThat(purchase.get("final_amount")).isEqualTo(new Decimal128(new BigDecimal("13.75")));
        assertThat(purchase.getString("user_id")).isEqualTo("u-1");
        assertThat(purchase.get("created_at")).isInstanceOf(java.util.Date.class);
    }

    @Test
    void a_delete_of_a_table_without_replica_identity_full_is_a_tombstone_of_the_stored_documents_tenant()
            throws Exception {
        String id = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger values ('" + id + "', '" + tenant + "', 'u-1', 'm-1', 7.25, "
                + "'paid', true, '2026-11-30T10:00:00Z')");
        awaitDocument("purchases", id);
        try {
            LoyaltyDatabase.execute("alter table purchase_ledger replica identity default",
                    "delete from purchase_ledger where id = '" + id + "'");

            Document purchase = await().atMost(PROCESSING).until(() -> document("purchases", id),
                    d -> Boolean.TRUE.equals(d.getBoolean("deleted")));

            assertThat(purchase.getString("tenantId")).isEqualTo(tenant);
            assertThat(purchase.get("deletedAt")).isNotNull();
        } finally {
            LoyaltyDatabase.execute("alter table purchase_ledger replica identity full");
        }
    }

    @Test
    void a_captured_table_without_replica_identity_full_is_reported_in_health_with_the_alter_table_to_run()
            throws Exception {
        LOG.info("Expect a warning next: a captured table loses REPLICA IDENTITY FULL, and the monitor says what to run");
        try {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity default");

            String health = await().atMost(PROCESSING).until(() -> http.getForObject("/actuator/health/cdc", String.class),
                    body -> body.contains("ALTER TABLE public.wallet_ledger REPLICA IDENTITY FULL"));

            assertThat(health).contains("\"public.purchase_ledger\":\"ok\"").contains("REPLICA IDENTITY DEFAULT");
        } finally {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity full");
        }
        await().atMost(PROCESSING).until(() -> http.getForObject("/actuator/health/cdc", String.class),
                body -> body.contains("\"public.wallet_ledger\":\"ok\""));
    }

    @Test
    void a_delete_without_its_tenant_and_without_a_stored_document_is_dead_lettered_saying_why() throws Exception {
        LOG.info("Expect a dead letter missing-field next: a delete names no tenant and nothing stored gives it one");
        String id = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger (id, tenant_id, status) values ('" + id + "', '" + tenant
                + "', 'new')");
        awaitDocument("purchases", id);
        collection("purchases").deleteOne(Filters.eq("_id", id));
        try {
            LoyaltyDatabase.execute("alter table purchase_ledger replica identity default",
                    "delete from purchase_ledger where id = '" + id + "'");

            Map<String, String> dead = await().atMost(PROCESSING).until(() -> deadLetters().stream().map(m -> m.getBody())
                    .filter(b -> SOURCE.equals(b.get("dlq.sourceStream")) && b.getOrDefault("payload", "").contains(id)
                            && b.getOrDefault("payload", "").contains("\"op\":\"d\"")).findFirst().orElse(null),
                    java.util.Objects::nonNull);

            assertThat(dead.get("dlq.reason")).isEqualTo("missing-field");
            assertThat(dead.get("dlq.error")).contains("REPLICA IDENTITY FULL");
        } finally {
            LoyaltyDatabase.execute("alter table purchase_ledger replica identity full");
        }
    }

    @Test
    void two_updates_of_a_row_in_one_transaction_leave_the_second_value() throws Exception {
        String id = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger (id, tenant_id, status) values ('" + id + "', '" + tenant
                + "', 'new')");
        LoyaltyDatabase.execute("update purchase_ledger set status = 'first' where id = '" + id + "'",
                "update purchase_ledger set status = 'second' where id = '" + id + "'");

        await().atMost(PROCESSING).until(() -> document("purchases", id) != null
                && "second".equals(document("purchases", id).getString("status")));
        Thread.sleep(500);
        assertThat(document("purchases", id).getString("status")).isEqualTo("second");
    }

    @Test
    void wallet_rows_become_exact_credit_movements_and_a_deleted_row_is_dead_lettered() throws Exception {
        LOG.info("Expect a dead letter ledger-row-deleted next: a wallet_ledger row is deleted, and ledgers are append-only");
        String wallet = tenant + "-w";
        String earn = LoyaltyDatabase.uuid();
        String burn = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute(
                "insert into wallet_ledger values ('" + earn + "', '" + tenant + "', '" + wallet + "', 'u-1', 100.10, 'earn', now())",
                "insert into wallet_ledger values ('" + burn + "', '" + tenant + "', '" + wallet + "', 'u-1', 30.05, 'burn', now())");
        Document balance = await().atMost(PROCESSING).until(() -> collection("creditBalances")
                .find(Filters.eq("entityId", wallet)).first(), b -> b != null
                        && new Decimal128(new BigDecimal("70.05")).equals(b.get("balance")));
        assertThat(balance.getString("tenantId")).isEqualTo(tenant);
        assertThat(document("creditLedger", "wallet_ledger/" + burn).get("amount")).isEqualTo(new Decimal128(new BigDecimal("-30.05")));

        LoyaltyDatabase.execute("delete from wallet_ledger where id = '" + burn + "'");

        Map<String, String> dead = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .map(m -> m.getBody()).filter(b -> SOURCE.equals(b.get("dlq.sourceStream"))
                        && b.getOrDefault("payload", "").contains(burn)).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(dead.get("dlq.reason")).isEqualTo("ledger-row-deleted");
        assertThat(dead.get("dlq.sourceKind")).isEqualTo("cdc");
        assertThat(dead.get("payload")).contains("\"op\":\"d\"");
        assertThat(collection("creditBalances").find(Filters.eq("entityId", wallet)).first().get("balance"))
                .isEqualTo(new Decimal128(new BigDecimal("70.05")));
    }

    @Test
    void a_change_dead_letter_replayed_after_its_cause_is_fixed_lands_with_its_own_identity() throws Exception {
        LOG.info("Expect a dead letter tenant-mismatch next: the purchase's id is taken by another tenant's document");
        String id = LoyaltyDatabase.uuid();
        collection("purchases").insertOne(new Document("_id", id).append("tenantId", "someone-else"));
        LoyaltyDatabase.execute("insert into purchase_ledger values ('" + id + "', '" + tenant + "', 'u-1', 'm-1', 5.00, "
                + "'paid', true, '2026-11-30T10:00:00Z')");
        String dead = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .filter(m -> SOURCE.equals(m.getBody().get("dlq.sourceStream"))
                        && m.getBody().getOrDefault("payload", "").contains(id)).map(m -> m.getId()).findFirst().orElse(null),
                java.util.Objects::nonNull);
        collection("purchases").deleteOne(Filters.eq("_id", id));

        ResponseEntity<String> replayed = post("/actuator/deadletters/" + dead, "{}", ADMIN_TOKEN);

        assertThat(replayed.getBody()).contains("\"replayed\":1").contains("\"failures\":[]");
        Document purchase = awaitDocument("purchases", id);
        assertThat(purchase.getString("tenantId")).isEqualTo(tenant);
        assertThat(purchase.getString("status")).isEqualTo("paid");
        assertThat(deadLetters()).extracting(m -> m.getId()).doesNotContain(dead);
    }

    @Test
    void a_change_dead_letter_no_replay_can_heal_is_refused_with_what_to_fix_and_kept() throws Exception {
        LOG.info("Expect a dead letter ledger-row-deleted next, and its replay refused");
        String row = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into wallet_ledger values ('" + row + "', '" + tenant + "', '" + tenant
                + "-w3', 'u-1', 1.00, 'earn', now())");
        awaitDocument("creditLedger", "wallet_ledger/" + row);
        LoyaltyDatabase.execute("delete from wallet_ledger where id = '" + row + "'");
        String dead = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .filter(m -> "ledger-row-deleted".equals(m.getBody().get("dlq.reason"))
                        && m.getBody().getOrDefault("payload", "").contains(row)).map(m -> m.getId()).findFirst().orElse(null),
                java.util.Objects::nonNull);

        ResponseEntity<String> replayed = post("/actuator/deadletters/" + dead, "{}", ADMIN_TOKEN);

        assertThat(replayed.getBody()).contains("\"replayed\":0")
                .contains(dead + ": not replayed (ledger-row-deleted): a row of an append-only ledger table was deleted");
        assertThat(deadLetters()).extracting(m -> m.getId()).contains(dead);
    }

    @Test
    void a_change_the_parking_lot_re_drives_keeps_its_first_failure_when_it_is_dead_lettered_again() {
        LOG.info("Expect a dead letter missing-field next: the parking lot re-drives a delete that names no tenant");
        String id = LoyaltyDatabase.uuid();
        long lsn = ChangeDeadLetters.lsn();
        String firstFailedAt = java.time.Instant.now().minus(java.time.Duration.ofHours(1))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        // parked as a mapping's lookup of the change would park it; nothing is stored under its key to give it a tenant
        String dead = ChangeDeadLetters.write("agent-not-found", lsn + "/purchase_ledger/" + id, java.time.Instant.now(),
                ChangeDeadLetters.purchase("d", id, null, lsn), ChangeDeadLetters.key(id), "dlq.sourceStream", SOURCE,
                "dlq.sourceKind", "cdc", "dlq.firstFailedAt", firstFailedAt);

        parkingLot.redrive();

        Map<String, String> again = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .filter(m -> !m.getId().equals(dead) && SOURCE.equals(m.getBody().get("dlq.sourceStream"))
                        && m.getBody().getOrDefault("payload", "").contains(id)).map(m -> m.getBody()).findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertThat(again).containsEntry("dlq.reason", "missing-field").containsEntry("dlq.firstFailedAt", firstFailedAt);
        assertThat(deadLetters()).extracting(m -> m.getId()).doesNotContain(dead);
    }

    @Test
    void a_changed_amount_of_a_ledger_row_is_an_event_id_conflict() throws Exception {
        LOG.info("Expect a dead letter event-id-conflict next: a wallet_ledger row's amount is updated");
        String wallet = tenant + "-w2";
        String row = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into wallet_ledger values ('" + row + "', '" + tenant + "', '" + wallet
                + "', 'u-1', 10, 'earn', now())");
        awaitDocument("creditLedger", "wallet_ledger/" + row);
        LoyaltyDatabase.execute("update wallet_ledger set amount = 99 where id = '" + row + "'");

        Map<String, String> dead = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .map(m -> m.getBody()).filter(b -> SOURCE.equals(b.get("dlq.sourceStream"))
                        && b.getOrDefault("payload", "").contains(row) && b.getOrDefault("payload", "").contains("\"op\":\"u\""))
                .findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(dead.get("dlq.reason")).isEqualTo("event-id-conflict");
        assertThat(collection("creditBalances").find(Filters.eq("entityId", wallet)).first().get("balance"))
                .isEqualTo(new Decimal128(new BigDecimal("10.00")));
    }

    @Test
    void a_dropped_slot_is_recovered_by_a_new_snapshot_and_no_change_is_missed() throws Exception {
        LOG.info("Expect the CDC source to fail and be restarted next: its replication slot is dropped under it");
        String before = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger (id, tenant_id, status) values ('" + before + "', '" + tenant
                + "', 'before')");
        awaitDocument("purchases", before);

        LoyaltyDatabase.dropSlot("crm_cdc_slot");
        String during = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger (id, tenant_id, status) values ('" + during + "', '" + tenant
                + "', 'while the slot was gone')");

        Document recovered = await().atMost(java.time.Duration.ofSeconds(60)).until(() -> document("purchases", during),
                java.util.Objects::nonNull);
        assertThat(recovered.getString("status")).isEqualTo("while the slot was gone");
        assertThat(LoyaltyDatabase.scalar("select active from pg_replication_slots where slot_name = 'crm_cdc_slot'"))
                .isEqualTo("t");
    }

    @Test
    void readiness_goes_down_and_the_connector_metric_to_zero_while_the_captured_database_is_away() throws Exception {
        LOG.info("Expect connection failures next: the captured PostgreSQL is killed, then started again");
        POSTGRES.kill();
        try {
            String down = await().atMost(java.time.Duration.ofSeconds(30)).until(
                    () -> http.getForObject("/actuator/health/readiness", String.class),
                    body -> body.contains("\"status\":\"DOWN\"") && body.contains("cannot read slot crm_cdc_slot"));
            assertThat(down).doesNotContain("password");
            assertThat(http.getForObject("/actuator/prometheus", String.class))
                    .containsPattern("crm_cdc_connector_up\\{[^}]*slot=\"crm_cdc_slot\"[^}]*\\} 0\\.0");
        } finally {
            POSTGRES.restart();
        }
        String id = LoyaltyDatabase.uuid();
        LoyaltyDatabase.execute("insert into purchase_ledger (id, tenant_id, status) values ('" + id + "', '" + tenant
                + "', 'after the outage')");
        assertThat(await().atMost(java.time.Duration.ofSeconds(90)).until(() -> document("purchases", id),
                java.util.Objects::nonNull).getString("status")).isEqualTo("after the outage");
        await().atMost(java.time.Duration.ofSeconds(60)).until(
                () -> http.getForObject("/actuator/health/readiness", String.class), body -> body.contains("\"status\":\"UP\""));
    }
}
