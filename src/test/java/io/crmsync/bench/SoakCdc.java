package io.crmsync.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.crmsync.demo.DemoDatabases;
import io.crmsync.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The soak's change-data-capture side: wallet_ledger and purchase_ledger rows in PostgreSQL (the embedded Debezium
 * source: a snapshot, then streaming) and Debezium envelopes of wallet movements on Kafka (the cdc-kafka route), each
 * on wallets of its own, and what the credit ledger and purchases must hold afterwards (docs/contract.md section 7).
 */
final class SoakCdc {

    /** A wallet movement as MongoDB's ledger must hold it: {@code wallet_ledger/<id>}, signed amount. */
    record Row(String id, String tenant, String wallet, BigDecimal amount) {
        String eventId() {
            return "wallet_ledger/" + id;
        }
    }

    private final EmbeddedPostgres postgres;
    private final Random random;
    private final int wallets;
    /** Movements sent to Kafka and acknowledged by the broker. */
    final List<Row> kafkaRows = new ArrayList<>();
    private long lsn = 900_000_000L;

    SoakCdc(EmbeddedPostgres postgres, long seed, int wallets) {
        this.postgres = postgres;
        this.random = new Random(seed);
        this.wallets = wallets;
        DemoDatabases.createLoyalty(postgres);
    }

    static String pgWallet(int n) {
        return EventGenerator.tenantOf(n) + "-pgw-" + n;
    }

    static String kafkaWallet(int n) {
        return EventGenerator.tenantOf(n) + "-kw-" + n;
    }

    /** Inserts {@code count} wallet movements and a quarter as many purchases, {@code perTransaction} rows at a time. */
    void insert(int count, int perTransaction) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY));
                Statement statement = connection.createStatement()) {
            for (int done = 0; done < count; done += perTransaction) {
                int n = Math.min(perTransaction, count - done);
                StringBuilder sql = new StringBuilder("insert into wallet_ledger values ");
                for (int i = 0; i < n; i++) {
                    int w = random.nextInt(wallets);
                    sql.append(i > 0 ? "," : "").append("('").append(UUID.randomUUID()).append("','")
                            .append(EventGenerator.tenantOf(w)).append("','").append(pgWallet(w)).append("','u-").append(w)
                            .append("',").append(amount()).append(",'").append(random.nextInt(4) == 0 ? "burn" : "earn")
                            .append("',now())");
                }
                statement.execute(sql.toString());
                statement.execute("insert into purchase_ledger select gen_random_uuid(), 'bench-a', 'u-' || (i % 50), "
                        + "'m-' || (i % 7), (i % 10000) / 100.0, 'paid', true, now() from generate_series(1, "
                        + Math.max(1, n / 4) + ") as i");
            }
        }
    }

    private String amount() {
        return (1 + random.nextInt(100)) + "." + String.format("%02d", random.nextInt(100));
    }

    /** Every wallet_ledger row PostgreSQL holds now: the truth the ledger is checked against. */
    List<Row> postgresRows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY));
                ResultSet result = connection.createStatement().executeQuery(
                        "select id, tenant_id, wallet_id, amount, kind from wallet_ledger")) {
            while (result.next()) {
                BigDecimal amount = result.getBigDecimal(4);
                rows.add(new Row(result.getString(1), result.getString(2), result.getString(3),
                        "burn".equals(result.getString(5)) ? amount.negate() : amount));
            }
        }
        return rows;
    }

    /** Ids of every purchase_ledger row. */
    List<String> purchaseIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY));
                ResultSet result = connection.createStatement().executeQuery("select id from purchase_ledger")) {
            while (result.next()) {
                ids.add(result.getString(1));
            }
        }
        return ids;
    }

    /**
     * Sends {@code count} movements to the wallet topic and waits for every acknowledgment (acks=all): each is then
     * the broker's, and must reach the ledger once whatever happens to the broker after.
     */
    void sendToKafka(String bootstrapServers, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
                "acks", "all", "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int w = random.nextInt(wallets);
                String id = UUID.randomUUID().toString();
                String amount = amount();
                boolean burn = random.nextInt(4) == 0;
                rows.add(new Row(id, EventGenerator.tenantOf(w), kafkaWallet(w), burn ? new BigDecimal(amount).negate()
                        : new BigDecimal(amount)));
                long now = System.currentTimeMillis();
                String envelope = "{\"before\":null,\"after\":{\"id\":\"" + id + "\",\"tenant_id\":\"" + EventGenerator.tenantOf(w)
                        + "\",\"wallet_id\":\"" + kafkaWallet(w) + "\",\"user_id\":\"u-" + w + "\",\"amount\":\"" + amount
                        + "\",\"kind\":\"" + (burn ? "burn" : "earn") + "\"},\"source\":{\"schema\":\"public\",\"table\":"
                        + "\"wallet_ledger\",\"lsn\":" + (++lsn) + ",\"txId\":7,\"ts_ms\":" + now + "},\"op\":\"c\",\"ts_ms\":"
                        + now + "}";
                sent.add(producer.send(new ProducerRecord<>(KafkaProcess.TOPICS.get(1), "{\"id\":\"" + id + "\"}", envelope)));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
            kafkaRows.addAll(rows);
        }
    }

    /** Expected balance per {@code tenant:wallet}. */
    static Map<String, BigDecimal> balances(List<Row> rows) {
        Map<String, BigDecimal> out = new HashMap<>();
        rows.forEach(r -> out.merge(r.tenant() + ":" + r.wallet(), r.amount(), BigDecimal::add));
        return out;
    }
}
