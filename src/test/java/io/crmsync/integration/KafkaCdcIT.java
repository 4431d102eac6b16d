package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.model.Filters;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/** Debezium change events of the loyalty team's tables, read from Kafka topics (docs/contract.md section 7). */
class KafkaCdcIT extends SyncITSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCdcIT.class);
    private static final String PURCHASES = "crm.public.purchase_ledger";
    private static final String WALLET = "crm.public.wallet_ledger";
    private static final AtomicLong LSN = new AtomicLong(900_000_000L);

    @Autowired
    CamelContext camel;

    @Test
    void envelopes_with_and_without_the_schema_wrapper_become_the_same_documents() throws Exception {
        String plain = UUID.randomUUID().toString();
        String wrapped = UUID.randomUUID().toString();
        KAFKA.send(PURCHASES, key(plain, false), purchase(plain, "c", "paid", false));
        KAFKA.send(PURCHASES, key(wrapped, true), purchase(wrapped, "c", "paid", true));

        assertThat(awaitDocument("purchases", plain).getString("status")).isEqualTo("paid");
        assertThat(awaitDocument("purchases", wrapped).getString("tenantId")).isEqualTo(tenant);
        assertThat(document("purchases", wrapped).get("final_amount")).isEqualTo(new Decimal128(new BigDecimal("42.10")));
    }

    @Test
    void the_tombstone_kafka_connect_writes_after_a_delete_is_no_dead_letter() throws Exception {
        String id = UUID.randomUUID().toString();
        KAFKA.send(PURCHASES, key(id, false), purchase(id, "c", "paid", false));
        KAFKA.send(PURCHASES, key(id, false), null);
        String after = UUID.randomUUID().toString();
        KAFKA.send(PURCHASES, key(after, false), purchase(after, "c", "paid", false));

        awaitDocument("purchases", after);
        assertThat(deadLetters()).noneMatch(m -> PURCHASES.equals(m.getBody().get("dlq.sourceStream")));
    }

    @Test
    void a_broker_restart_loses_no_movement_and_counts_none_twice() throws Exception {
        LOG.info("Expect Kafka connection warnings next: the broker is stopped and started again");
        String wallet = tenant + "-kw";
        for (int i = 0; i < 20; i++) {
            KAFKA.send(WALLET, key("r" + i, false), movement(wallet, tenant + "-r" + i, "1.25"));
        }
        awaitLedger(wallet, 20);
        KAFKA.stop();
        Thread.sleep(2_000);
        KAFKA.restart();
        for (int i = 20; i < 40; i++) {
            KAFKA.send(WALLET, key("r" + i, false), movement(wallet, tenant + "-r" + i, "1.25"));
        }

        awaitLedger(wallet, 40);
        assertThat(balance(wallet)).isEqualTo(new Decimal128(new BigDecimal("50.00")));
    }

    @Test
    void records_read_again_after_a_crash_before_the_commit_change_nothing() throws Exception {
        String wallet = tenant + "-kc";
        for (int i = 0; i < 30; i++) {
            KAFKA.send(WALLET, key("c" + i, false), movement(wallet, tenant + "-c" + i, "2.00"));
        }
        awaitLedger(wallet, 30);

        // a consumer that died after writing and before committing: its group reads the topic again from the start
        camel.getRouteController().stopRoute("cdc-kafka");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets("crm-sync-cdc", Map.of(new TopicPartition(WALLET, 0), new OffsetAndMetadata(0),
                    new TopicPartition(WALLET, 1), new OffsetAndMetadata(0))).all().get();
        }
        camel.getRouteController().startRoute("cdc-kafka");

        await().atMost(PROCESSING).until(() -> http.getForObject("/actuator/prometheus", String.class)
                .matches("(?s).*crm_cdc_kafka_lag\\{[^}]*\\} 0\\.0.*"));
        assertThat(collection("creditLedger").countDocuments(Filters.eq("entityId", wallet))).isEqualTo(30);
        assertThat(balance(wallet)).isEqualTo(new Decimal128(new BigDecimal("60.00")));
        assertThat(http.getForObject("/actuator/prometheus", String.class)).contains("crm_cdc_kafka_rebalances_total");
    }

    /** Until the wallet has this many ledger entries, each folded into its balance (recorded first, folded next). */
    private void awaitLedger(String wallet, long count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> collection("creditLedger")
                .countDocuments(Filters.and(Filters.eq("entityId", wallet), Filters.eq("folded", true))) == count);
    }

    private Object balance(String wallet) {
        Document balance = collection("creditBalances").find(Filters.eq("entityId", wallet)).first();
        return balance == null ? null : balance.get("balance");
    }

    private static String key(String id, boolean wrapped) {
        String payload = "{\"id\":\"" + id + "\"}";
        return wrapped ? "{\"schema\":{\"type\":\"struct\"},\"payload\":" + payload + "}" : payload;
    }

    private String purchase(String id, String op, String status, boolean wrapped) {
        String payload = "{\"before\":null,\"after\":{\"id\":\"" + id + "\",\"tenant_id\":\"" + tenant + "\",\"user_id\":"
                + "\"u-1\",\"final_amount\":\"42.10\",\"status\":\"" + status + "\",\"created_at\":\"2026-11-30T10:00:00Z\"},"
                + source("purchase_ledger") + ",\"op\":\"" + op + "\",\"ts_ms\":" + System.currentTimeMillis() + "}";
        return wrapped ? "{\"schema\":{\"type\":\"struct\",\"name\":\"crm.public.purchase_ledger.Envelope\"},\"payload\":"
                + payload + "}" : payload;
    }

    private String movement(String wallet, String id, String amount) {
        return "{\"before\":null,\"after\":{\"id\":\"" + id + "\",\"tenant_id\":\"" + tenant + "\",\"wallet_id\":\""
                + wallet + "\",\"user_id\":\"u-1\",\"amount\":\"" + amount + "\",\"kind\":\"earn\"},"
                + source("wallet_ledger") + ",\"op\":\"c\",\"ts_ms\":" + System.currentTimeMillis() + "}";
    }

    private static String source(String table) {
        return "\"source\":{\"schema\":\"public\",\"table\":\"" + table + "\",\"lsn\":" + LSN.incrementAndGet()
                + ",\"txId\":7,\"ts_ms\":" + System.currentTimeMillis() + "}";
    }
}
