package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.crmsync.sources.debezium.SlotMonitor;
import io.crmsync.sources.kafka.KafkaGroupWatch;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Each seed incident is caught within 30 s, with the check intervals crm-sync ships (application.yaml), not the
 * tests' fast ones: readiness goes DOWN naming it, a log line says it once, and a metric shows it. The times are
 * logged ("caught in") and listed in docs/runbook.md.
 */
// the intervals application.yaml ships, in place of SyncITSupport's fast ones; and a captured database, slot, lock and
// Kafka group of its own, so the other test classes' app (alive in the same JVM) neither leads nor heals for this one
@org.springframework.test.context.TestPropertySource(properties = {"crm.cdc.inactive-grace=20s",
        "crm.cdc.check-interval=5s", "crm.kafka.check-interval=10s", "it.cdc.database=" + IncidentDetectionIT.DATABASE,
        "crm.cdc.slot=" + IncidentDetectionIT.SLOT, "it.cdc.cluster-root=${java.io.tmpdir}/crm-sync-incidents-cluster",
        "crm.kafka.group=crm-sync-incidents", "crm.cdc.topic-prefix=crm-incidents"})
class IncidentDetectionIT extends SyncITSupport {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(IncidentDetectionIT.class);
    private static final Duration CAUGHT_WITHIN = Duration.ofSeconds(30);
    static final String DATABASE = "loyalty_incidents";
    static final String SLOT = "crm_incident_slot";

    static {
        io.crmsync.demo.DemoDatabases.createLoyalty(POSTGRES, DATABASE);
    }

    @Autowired
    CamelContext camel;

    @Value("${crm.cdc.inactive-grace}")
    Duration inactiveGrace;

    @Value("${crm.cdc.check-interval}")
    Duration cdcCheckInterval;

    @Value("${crm.kafka.check-interval}")
    Duration kafkaCheckInterval;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        for (Class<?> source : List.of(SlotMonitor.class, KafkaGroupWatch.class, io.crmsync.stores.postgres.PostgresStore.class)) {
            ((Logger) LoggerFactory.getLogger(source)).addAppender(logged);
        }
        ((Logger) LoggerFactory.getLogger("io.crmsync.stores.postgres.PostgresHealth")).addAppender(logged);
        await().atMost(Duration.ofSeconds(90)).until(() -> readiness().contains("\"status\":\"UP\""));
        // every incident begins from a connector that reads its slot
        await().atMost(Duration.ofSeconds(90)).until(() -> "t".equals(slotActive()));
    }

    @AfterEach
    void recovered() {
        await().atMost(Duration.ofSeconds(90)).until(() -> readiness().contains("\"status\":\"UP\""));
    }

    private String readiness() {
        return http.getForEntity("/actuator/health/readiness", String.class).getBody();
    }

    /**
     * How long until readiness, a log line and a metric have each shown the incident; at most 30 s. Each is noted when
     * first seen: a source that heals itself (a dropped slot's new snapshot) shows each only for a few seconds.
     */
    private Duration caught(String incident, long started, Predicate<String> down, String logLine, String metric) {
        java.util.regex.Pattern metricLine = java.util.regex.Pattern.compile(metric);
        boolean[] seen = new boolean[3];
        await().atMost(CAUGHT_WITHIN.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seen[0] |= down.test(readiness());
            seen[1] |= logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains(logLine));
            seen[2] |= metricLine.matcher(http.getForObject("/actuator/prometheus", String.class)).find();
            return seen[0] && seen[1] && seen[2];
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Incident '{}' caught in {} s: readiness DOWN, log line, metric", incident,
                String.format("%.1f", took.toMillis() / 1000.0));
        assertThat(took).as(incident).isLessThanOrEqualTo(CAUGHT_WITHIN);
        return took;
    }

    /** This class sets the intervals itself (SyncITSupport's fast ones would win otherwise): they must be the shipped ones. */
    @Test
    void the_shipped_intervals_are_the_ones_measured() throws Exception {
        // the file users deploy, beside the jar, not the test's environment (which this class's own overrides are part of)
        var shipped = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("application.yaml", new org.springframework.core.io.FileSystemResource("application.yaml")).get(0);
        java.util.function.Function<String, Duration> duration = key -> org.springframework.boot.convert.DurationStyle
                .detectAndParse(String.valueOf(shipped.getProperty(key)));

        assertThat(inactiveGrace).isEqualTo(duration.apply("crm.cdc.inactive-grace"));
        assertThat(cdcCheckInterval).isEqualTo(duration.apply("crm.cdc.check-interval"));
        assertThat(kafkaCheckInterval).isEqualTo(duration.apply("crm.kafka.check-interval"));
    }

    @Test
    void a_captured_postgresql_that_dies_is_caught_within_30_s() throws Exception {
        LOG.info("Expect connection failures next: the captured (and lead-source) PostgreSQL is killed");
        long started = System.nanoTime();
        POSTGRES.kill();
        try {
            caught("captured PostgreSQL down", started, body -> body.contains("cannot read slot " + SLOT),
                    "CDC source of slot " + SLOT + " has failed", "crm_cdc_connector_up\\{[^}]*slot=\"" + SLOT + "\"[^}]*\\} 0\\.0");
        } finally {
            POSTGRES.restart();
        }
    }

    @Test
    void a_lead_source_postgresql_that_dies_is_caught_within_30_s() throws Exception {
        LOG.info("Expect connection failures next: the lead-source PostgreSQL is killed");
        long started = System.nanoTime();
        POSTGRES.kill();
        try {
            caught("lead-source PostgreSQL down", started, body -> body.matches("(?s).*\"postgres\":\\{\"status\":\"DOWN\".*"),
                    "does not answer", "crm_postgres_up(\\{[^}]*\\})? 0\\.0");
        } finally {
            POSTGRES.restart();
        }
    }

    @Test
    void a_captured_postgresql_that_refuses_the_replication_connection_is_caught_within_30_s() throws Exception {
        LOG.info("Expect the CDC connector to fail next: every WAL sender is taken, so its replication connection is refused");
        List<java.sql.Connection> held = new java.util.ArrayList<>();
        try {
            // every free WAL sender taken first; then the connector's own, the moment its walsender is ended
            takeWalSenders(held);
            for (int attempt = 0; attempt < 20 && "t".equals(slotActive()); attempt++) {
                LoyaltyDatabase.execute("select pg_terminate_backend(active_pid) from pg_replication_slots where "
                        + "slot_name = '" + SLOT + "' and active_pid is not null");
                takeWalSenders(held);
            }
            assertThat(slotActive()).as("the connector's replication connection is refused").isEqualTo("f");
            long started = System.nanoTime();
            caught("replication connection refused", started, body -> body.contains("no connector has read replication slot " + SLOT),
                    "CDC source of slot " + SLOT + " has failed", "crm_cdc_connector_up\\{[^}]*slot=\"" + SLOT + "\"[^}]*\\} 0\\.0");
        } finally {
            for (java.sql.Connection connection : held) {
                connection.close();
            }
        }
    }

    /**
     * Opens replication connections until PostgreSQL refuses one, after at least one more was had (a sender just
     * ended frees its place a moment later): every WAL sender is then held here. Gives up after 5 s.
     */
    private static void takeWalSenders(List<java.sql.Connection> held) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int before = held.size();
        while (System.nanoTime() < until) {
            try {
                held.add(replicationConnection());
            } catch (java.sql.SQLException full) {
                if (held.size() > before) {
                    return;
                }
                Thread.sleep(10);
            }
        }
    }

    private static String slotActive() throws java.sql.SQLException {
        return LoyaltyDatabase.scalar("select active from pg_replication_slots where slot_name = '" + SLOT + "'");
    }

    private static java.sql.Connection replicationConnection() throws java.sql.SQLException {
        java.util.Properties options = new java.util.Properties();
        options.setProperty("replication", "database");
        options.setProperty("preferQueryMode", "simple");
        options.setProperty("assumeMinServerVersion", "10");
        return java.sql.DriverManager.getConnection(POSTGRES.jdbcUrl(LoyaltyDatabase.DATABASE), options);
    }

    @Test
    void a_dropped_slot_is_caught_within_30_s() throws Exception {
        LOG.info("Expect the CDC source to fail and be restarted next: its replication slot is dropped");
        long started = System.nanoTime();
        LoyaltyDatabase.dropSlot(SLOT);
        caught("replication slot dropped", started, body -> body.contains("does not exist"),
                "CDC source of slot " + SLOT + " has failed", "crm_cdc_slot_active\\{[^}]*slot=\"" + SLOT + "\"[^}]*\\} 0\\.0");
    }

    @Test
    void a_kafka_broker_that_is_gone_is_caught_within_30_s() throws Exception {
        LOG.info("Expect Kafka connection failures next: the broker is stopped");
        long started = System.nanoTime();
        KAFKA.stop();
        try {
            caught("Kafka broker gone", started, body -> body.contains("cannot read the lag of group"),
                    "do not answer group", "crm_cdc_kafka_up\\{[^}]*\\} 0\\.0");
        } finally {
            KAFKA.restart();
        }
    }

    @Test
    void a_stopped_stream_consumer_is_caught_within_30_s() throws Exception {
        long started = System.nanoTime();
        camel.getRouteController().stopRoute("inter-app-streams");
        try {
            await().atMost(CAUGHT_WITHIN).until(() -> readiness().contains("\"status\":\"DOWN\""));
            LOG.info("Incident 'stream consumer stopped' caught in {} s: readiness DOWN",
                    String.format("%.1f", (System.nanoTime() - started) / 1e9));
        } finally {
            camel.getRouteController().startRoute("inter-app-streams");
        }
    }
}
