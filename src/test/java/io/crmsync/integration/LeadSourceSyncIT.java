package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** docs/contract.md section 8: lead-source assignments into the leads team's PostgreSQL. */
class LeadSourceSyncIT extends SyncITSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeadSourceSyncIT.class);
    static final String STREAM = LeadsDatabase.STREAM;

    LeadsDatabase leads;

    @org.junit.jupiter.api.BeforeEach
    void leads() {
        leads = new LeadsDatabase(this);
    }

    @Test
    void the_newest_assignment_wins_whatever_the_order_and_duplicates_change_nothing() throws SQLException {
        long agent = leads.agent("uid-1", "a1@example.com");
        String newest = leads.assignment("uid-1", "a1@example.com", "2026-11-30T10:00:03Z", "[\"web\", \"aimedici\"]");
        String oldest = leads.assignment("uid-1", "a1@example.com", "2026-11-30T10:00:01Z", "[\"phone\"]");
        String middle = leads.assignment("uid-1", "a1@example.com", "2026-11-30T10:00:02Z", "[\"phone\", \"web\"]");
        String duplicate = leads.assignment("uid-1", "a1@example.com", "2026-11-30T10:00:03Z", "[\"web\", \"aimedici\"]");

        List<Document> log = awaitSyncLog("uid-1", 4);
        assertThat(leads.leadSources(agent)).containsExactly("aimedici", "web");
        assertThat(log).extracting(r -> r.getString("_id"), r -> r.getString("status")).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(STREAM + "/" + newest, "processed"),
                org.assertj.core.groups.Tuple.tuple(STREAM + "/" + oldest, "stale"),
                org.assertj.core.groups.Tuple.tuple(STREAM + "/" + middle, "stale"),
                org.assertj.core.groups.Tuple.tuple(STREAM + "/" + duplicate, "processed"));
    }

    @Test
    void a_newer_assignment_removes_the_sources_it_lacks_and_keeps_when_the_others_were_assigned() throws SQLException {
        long agent = leads.agent("uid-2", "a2@example.com");
        leads.assignment("uid-2", "a2@example.com", "2026-11-30T10:00:00Z", "[\"web\", \"phone\"]");
        await().atMost(PROCESSING).until(() -> leads.leadSources(agent).size() == 2);
        leads.assignment("uid-2", "a2@example.com", "2026-11-30T11:00:00Z", "[\"web\", \"aimedici\"]");

        await().atMost(PROCESSING).until(() -> leads.leadSources(agent).equals(new TreeSet<>(List.of("aimedici", "web"))));
        assertThat(LeadsDatabase.query("select assigned_at::text from agent_lead_sources where agent_id = ? and lead_source = 'web'",
                agent)).containsExactly("2026-11-30 10:00:00+00");
    }

    @Test
    void an_agent_found_by_email_but_not_by_uid_is_dead_lettered_as_a_uid_mismatch_naming_both_uids() throws SQLException {
        LOG.info("Expect a dead letter agent-uid-mismatch next: the agent's uid differs between the two systems");
        long agent = leads.agent("uid-old", "a3@example.com");
        String entry = leads.assignment("uid-new", "a3@example.com", "2026-11-30T10:00:00Z", "[\"web\"]");

        Map<String, String> dead = awaitDeadLetter(STREAM, entry);
        assertThat(dead.get("dlq.reason")).isEqualTo("agent-uid-mismatch");
        assertThat(dead.get("dlq.error")).contains("uid-old").contains("uid-new");
        assertThat(leads.leadSources(agent)).isEmpty();
    }

    @Test
    void an_unknown_agent_is_dead_lettered_as_agent_not_found() {
        LOG.info("Expect lookup retries, then a dead letter agent-not-found: no agent has this uid or email");
        String entry = leads.assignment("uid-nobody", "nobody@example.com", "2026-11-30T10:00:00Z", "[\"web\"]");

        assertThat(awaitDeadLetter(STREAM, entry).get("dlq.reason")).isEqualTo("agent-not-found");
        assertThat(awaitRecord(STREAM, entry).getString("entityKey")).isEqualTo("uid-nobody");
    }

    @Test
    void lead_sources_that_are_not_a_list_of_strings_are_dead_lettered_as_invalid_field() throws SQLException {
        LOG.info("Expect dead letters invalid-field next: leadSources is a string, then a list holding a number");
        leads.agent("uid-4", "a4@example.com");
        String text = leads.assignment("uid-4", "a4@example.com", "2026-11-30T10:00:00Z", "\"web\"");
        String numbers = leads.assignment("uid-4", "a4@example.com", "2026-11-30T10:00:01Z", "[\"web\", 7]");

        assertThat(awaitDeadLetter(STREAM, text).get("dlq.reason")).isEqualTo("invalid-field");
        assertThat(awaitDeadLetter(STREAM, numbers).get("dlq.reason")).isEqualTo("invalid-field");
    }

    List<Document> awaitSyncLog(String agentUid, int count) {
        return await().atMost(PROCESSING).until(() -> collection("eventProcessingRecords")
                .find(Filters.and(Filters.eq("tenantId", tenant), Filters.eq("entityKey", agentUid)))
                .sort(Sorts.ascending("processedAt")).into(new ArrayList<>()), records -> records.size() == count);
    }

}
