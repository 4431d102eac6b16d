package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.crmsync.ops.ParkingLot;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** The leads team's three scripts (debug, fix, verify) and their 30-second retry, as crm-sync's own ops. */
class LeadSourceOpsIT extends SyncITSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeadSourceOpsIT.class);
    private static final String STREAM = LeadsDatabase.STREAM;

    @Autowired
    ParkingLot parkingLot;

    LeadsDatabase leads;

    @org.junit.jupiter.api.BeforeEach
    void leads() {
        leads = new LeadsDatabase(this);
    }

    @Test
    void verify_finds_a_lead_source_deleted_by_hand_and_repair_puts_it_back() throws Exception {
        long agent = leads.agent("uid-v", "v@example.com");
        String first = leads.assignment("uid-v", "v@example.com", "2026-11-30T10:00:00Z", "[\"web\"]");
        String last = leads.assignment("uid-v", "v@example.com", "2026-11-30T11:00:00Z", "[\"web\", \"aimedici\"]");
        awaitRecord(STREAM, last);
        LeadsDatabase.query("delete from agent_lead_sources where agent_id = ? and lead_source = 'aimedici' returning 1", agent);

        String report = http.getForObject("/actuator/verify?stream={s}&start={a}&end={b}", String.class, STREAM, first, last);
        ResponseEntity<String> unauthorized = post("/actuator/repair", "{\"stream\": \"" + STREAM + "\"}", null);
        ResponseEntity<String> repaired = post("/actuator/repair", "{\"stream\": \"" + STREAM + "\", \"start\": \"" + first
                + "\", \"end\": \"" + last + "\"}", ADMIN_TOKEN);

        assertThat(report).contains("\"checked\":2").contains("\"upToDate\":1").contains("\"problem\":\"differs\"")
                .contains(last).contains("missing aimedici");
        assertThat(unauthorized.getStatusCode().value()).isIn(401, 403);
        assertThat(repaired.getBody()).contains(last).contains("\"failed\":[]");
        assertThat(leads.leadSources(agent)).containsExactly("aimedici", "web");
    }

    @Test
    void repair_relinks_an_agent_whose_uid_differs_and_its_assignment_lands() throws Exception {
        LOG.info("Expect a dead letter agent-uid-mismatch next; the repair then relinks the agent");
        long agent = leads.agent("uid-before", "r@example.com");
        String entry = leads.assignment("uid-after", "r@example.com", "2026-11-30T10:00:00Z", "[\"web\"]");
        awaitDeadLetter(STREAM, entry);

        ResponseEntity<String> repaired = post("/actuator/repair", "{\"relink\": \"agent-uid-mismatch\"}", ADMIN_TOKEN);

        assertThat(repaired.getStatusCode().value()).isEqualTo(200);
        await().atMost(PROCESSING).until(() -> leads.leadSources(agent).equals(new TreeSet<>(List.of("web"))));
        assertThat(LeadsDatabase.query("select firebase_uid from agents where id = ?", agent)).containsExactly("uid-after");
    }

    @Test
    void the_parking_lot_heals_an_agent_not_found_once_the_agent_appears() throws Exception {
        LOG.info("Expect lookup retries and a dead letter agent-not-found next; the parking lot then re-drives it");
        String entry = leads.assignment("uid-late", "late@example.com", Instant.now().toString(), "[\"phone\"]");
        awaitDeadLetter(STREAM, entry);
        long agent = leads.agent("uid-late", "late@example.com");

        int redriven = parkingLot.redrive();

        assertThat(redriven).isPositive();
        await().atMost(PROCESSING).until(() -> leads.leadSources(agent).equals(new TreeSet<>(List.of("phone"))));
        assertThat(http.getForObject("/actuator/prometheus", String.class))
                .containsPattern("crm_sync_parking_lot_redrives_total\\{[^}]*reason=\"agent-not-found\"[^}]*\\} [1-9]");
    }

    @Test
    void the_parking_lot_window_counts_from_the_first_dead_letter_not_from_the_event_time() throws Exception {
        LOG.info("Expect dead letters agent-not-found next, twice, for an event three days old; the parking lot re-drives it");
        String entry = leads.assignment("uid-backlog", "backlog@example.com", Instant.now().minus(Duration.ofDays(3)).toString(),
                "[\"email\"]");
        Map<String, String> first = awaitDeadLetter(STREAM, entry);

        // re-driven, it fails again, and its new dead letter keeps the time of the first
        String redriven = await().atMost(PROCESSING).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String found = deadLetters().stream().filter(m -> "agent-not-found".equals(m.getBody().get("dlq.reason"))
                    && first.get("dlq.failedAt").equals(m.getBody().get("dlq.firstFailedAt")))
                    .map(m -> m.getBody().get("dlq.sourceId")).findFirst().orElse(null);
            if (found == null) {
                parkingLot.redrive();
            }
            return found;
        }, java.util.Objects::nonNull);
        long agent = leads.agent("uid-backlog", "backlog@example.com");

        assertThat(redriven).isNotEqualTo(entry);
        await().atMost(PROCESSING).pollInterval(Duration.ofSeconds(1)).until(() -> parkingLot.redrive() >= 0
                && leads.leadSources(agent).equals(new TreeSet<>(List.of("email"))));
    }

    @Test
    void a_dead_letter_first_failed_longer_ago_than_the_window_waits_for_an_operator() {
        String old = Instant.now().minus(Duration.ofDays(2)).toString();
        String parked = PUBLISHER.xadd("crm:dlq", Map.of("eventType", "agent.lead_sources.updated", "eventId", "parked-expired",
                "dlq.reason", "agent-not-found", "dlq.sourceStream", STREAM, "dlq.sourceId", "1-1",
                "dlq.failedAt", Instant.now().toString(), "dlq.firstFailedAt", old));

        parkingLot.redrive();

        assertThat(deadLetters()).extracting(StreamMessage::getId).contains(parked);
        assertThat(http.getForObject("/actuator/prometheus", String.class))
                .containsPattern("crm_sync_parking_lot_expired\\{[^}]*reason=\"agent-not-found\"[^}]*\\} [1-9]");
        PUBLISHER.xdel("crm:dlq", parked);
    }

    @Test
    void the_sync_log_of_an_agent_lists_each_event_with_what_became_of_it() throws Exception {
        leads.agent("uid-log", "log@example.com");
        // the newer applied first, so the older is stale whatever the order of the writes
        awaitRecord(STREAM, leads.assignment("uid-log", "log@example.com", "2026-11-30T10:00:01Z", "[\"web\"]"));
        String stale = leads.assignment("uid-log", "log@example.com", "2026-11-30T10:00:00Z", "[\"phone\"]");
        awaitRecord(STREAM, stale);

        String log = http.getForObject("/actuator/records?key={k}&tenant={t}", String.class, "uid-log", tenant);

        assertThat(log).contains("\"status\":\"processed\"").contains("\"status\":\"stale\"")
                .contains("agent.lead_sources.updated");
    }

    @Test
    void postgres_killed_mid_batch_loses_no_assignment() throws Exception {
        LOG.info("Expect connection failures and redeliveries next: PostgreSQL is killed while assignments are written");
        List<Long> agents = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            agents.add(leads.agent("uid-k" + i, "k" + i + "@example.com"));
        }
        for (int i = 0; i < 100; i++) {
            leads.assignment("uid-k" + i, "k" + i + "@example.com", "2026-11-30T10:00:00Z", "[\"web\", \"k" + i + "\"]");
            if (i == 30) {
                POSTGRES.kill();
            }
        }
        Thread.sleep(2_000);
        POSTGRES.restart();

        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> LeadsDatabase.query(
                "select count(*) from agent_lead_sources where tenant_id = '" + tenant + "'").get(0).equals("200"));
        for (int i = 0; i < 100; i += 33) {
            assertThat(leads.leadSources(agents.get(i))).containsExactly("k" + i, "web");
        }
    }

}
