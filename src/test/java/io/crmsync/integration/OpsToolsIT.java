package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.model.Filters;
import io.crmsync.CrmSyncApplication;
import io.crmsync.ops.cli.Commands;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The ops tools as users run them: the jar's commands and the actuator endpoints, against the running app.
 */
class OpsToolsIT extends SyncITSupport {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpsToolsIT.class);

    /** What a command printed, on standard output and on standard error, and returned. */
    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void commandsUseTheSameServers() {
        System.setProperty("crm.redis-url", REDIS.url());
        System.setProperty("crm.mongodb-uri", MONGO.uri("crm"));
    }

    @AfterAll
    static void clear() {
        System.clearProperty("crm.redis-url");
        System.clearProperty("crm.mongodb-uri");
    }

    private static synchronized Run command(String... args) throws Exception {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Commands.run(CrmSyncApplication.class, args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }


    @Test
    void publishCommandAppendsAnEntryTheServiceApplies() throws Exception {
        String user = tenant + "-published";

        Run run = command("publish", "crm:sync:user:user_created", "eventType=user.created", "tenantId=" + tenant,
                "entityId=" + user, "data={\"email\": \"p@example.com\"}");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("to crm:sync:user:user_created").contains("records --key " + user);
        assertThat(awaitDocument("users", user).getString("email")).isEqualTo("p@example.com");
    }

    @Test
    void statusCommandListsEveryConsumedStreamWithItsGroup() throws Exception {
        publishFlat("crm:sync:user:user_created", "user_created", tenant + "-s1", Instant.now().toString(), "{}");

        Run run = command("status");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("crm:sync:user:user_created").contains("crm-consumers")
                .contains("crm:organization-assignments").contains("organization-assignment-consumers").contains("inter-app-events");
    }

    @Test
    void statusCommandReportsEachCapturedTableAndWhatToFix() throws Exception {
        Run run = statusOfTheCapturedDatabase();

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("public\\.purchase_ledger +ok").containsPattern("public\\.wallet_ledger +ok");
    }

    /** status, with the captured database set as the demo's export line sets it */
    private static Run statusOfTheCapturedDatabase() throws Exception {
        System.setProperty("crm.cdc.database-url", POSTGRES.url(LoyaltyDatabase.DATABASE));
        try {
            return command("status");
        } finally {
            System.clearProperty("crm.cdc.database-url");
        }
    }

    @Test
    void statusCommandNamesTheAlterTableToRunForACapturedTableWithoutReplicaIdentityFull() throws Exception {
        LOG.info("Expect a warning next: a captured table loses REPLICA IDENTITY FULL, and the monitor says what to run");
        Run run;
        try {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity default");
            run = statusOfTheCapturedDatabase();
        } finally {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity full");
        }

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).contains("").anyMatch(l -> l.matches("CDC TABLE +STATE"))
                .anyMatch(l -> l.matches("public\\.purchase_ledger +ok"))
                .anyMatch(l -> l.matches("public\\.wallet_ledger +has REPLICA IDENTITY DEFAULT, so a delete carries only its key: "
                        + "ALTER TABLE public\\.wallet_ledger REPLICA IDENTITY FULL;"));
    }

    @Test
    void statusCommandNamesTheAlterPublicationToRunForACapturedTableNotInThePublication() throws Exception {
        // a table of its own, so the app's connector (which captures the shipped tables) is left alone
        LoyaltyDatabase.execute("create table if not exists ops_unpublished (id text primary key, tenant_id text)",
                "alter table ops_unpublished replica identity full");
        // status checks membership only once a publication exists: the app's connector makes it on its first start
        await().atMost(PROCESSING).until(() -> LoyaltyDatabase.scalar(
                "select count(*) from pg_publication where pubname = 'crm_cdc_publication'"), "1"::equals);
        System.setProperty("crm.cdc.tables", "public.purchase_ledger,public.ops_unpublished");
        Run run;
        try {
            run = statusOfTheCapturedDatabase();
        } finally {
            System.clearProperty("crm.cdc.tables");
        }

        assertThat(run.out().lines()).anyMatch(l -> l.matches("public\\.purchase_ledger +ok"))
                .anyMatch(l -> l.matches("public\\.ops_unpublished +is not in publication crm_cdc_publication: "
                        + "ALTER PUBLICATION crm_cdc_publication ADD TABLE public\\.ops_unpublished;"));
    }

    @Test
    void aCapturedTableWithoutReplicaIdentityFullIsLoggedOnceByTheApp() throws Exception {
        LOG.info("Expect one warning next: a captured table loses REPLICA IDENTITY FULL, and the monitor says what to run");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger monitor = (Logger) org.slf4j.LoggerFactory.getLogger(io.crmsync.sources.debezium.SlotMonitor.class);
        monitor.addAppender(logged);
        try {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity default");
            await().atMost(PROCESSING).until(() -> http.getForObject("/actuator/health/cdc", String.class),
                    body -> body.contains("ALTER TABLE public.wallet_ledger REPLICA IDENTITY FULL"));
            // several more checks (one a second here) see the same problem
            Thread.sleep(3_000);
        } finally {
            LoyaltyDatabase.execute("alter table wallet_ledger replica identity full");
            monitor.detachAppender(logged);
        }

        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("public.wallet_ledger")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("CDC table public.wallet_ledger on ")
                        .endsWith("ALTER TABLE public.wallet_ledger REPLICA IDENTITY FULL;"));
        await().atMost(PROCESSING).until(() -> http.getForObject("/actuator/health/cdc", String.class),
                body -> body.contains("\"public.wallet_ledger\":\"ok\""));
    }

    @Test
    void recordsCommandShowsAnEntitysSyncLogUnderItsHeader() throws Exception {
        String user = tenant + "-rec";
        String entry = publishFlat("crm:sync:user:user_created", "user_created", user, "2024-01-15T10:00:00Z", "{}");
        awaitRecord("crm:sync:user:user_created", entry);

        Run run = command("records", "--key", user);

        assertThat(run.exitCode()).isZero();
        // the app's own log lines (other threads of this JVM) may come between: the command's lines are found by shape
        String header = run.out().lines().filter(l -> l.matches("PROCESSED-AT +STATUS +EVENT-TYPE +ENTRY +ERROR"))
                .findFirst().orElseThrow();
        String row = run.out().lines()
                .filter(l -> l.matches("\\S+Z +processed +user\\.created +crm:sync:user:user_created/" + entry + " +-"))
                .findFirst().orElseThrow();
        // every column starts under its header
        assertThat(row.indexOf("crm:sync:user:")).isEqualTo(header.indexOf("ENTRY"));
        assertThat(row.indexOf("processed")).isEqualTo(header.indexOf("STATUS"));
        assertThat(run.out().lines()).contains("1 record(s)");
    }

    @Test
    void verifyCommandPrintsItsCountOnceWhenNotOnATerminal() throws Exception {
        String stream = "crm:sync:user:user_created";
        String first = publishFlat(stream, "user_created", tenant + "-once1", "2024-01-15T10:00:00Z", "{}");
        String last = publishFlat(stream, "user_created", tenant + "-once2", "2024-01-15T10:00:00Z", "{}");
        awaitRecord(stream, first);
        awaitRecord(stream, last);

        Run run = command("verify", "--stream", stream, "--from", first, "--to", last);

        assertThat(run.exitCode()).isZero();
        assertThat((run.out() + run.err()).lines().filter(l -> l.contains("checked")))
                .containsExactly("2 checked: 2 up to date, 0 dead-lettered, 0 write nothing, 0 not reflected");
    }

    @Test
    void streamsEndpointReportsPendingLagAndLastDelivered() {
        String body = http.getForObject("/actuator/streams", String.class);

        assertThat(body).contains("\"stream\":\"crm:sync:role_permissions\"").contains("\"lag\"").contains("\"pending\"")
                .contains("\"lastDeliveredId\"").contains("\"oldestPendingIdleMs\"");
    }

    @Test
    void deadLettersReplayedWithTheCommandAfterTheCauseIsFixedLandInMongo() throws Exception {
        String since = Instant.now().minusMillis(1).toString();
        String code = tenant + "-LATE";
        String assignment = tenant + "-asg";
        String id = publish("crm:organization-assignments", fields("eventId", assignment + "-e", "eventType",
                "organization.assignment.created", "tenantId", tenant, "timestamp", "2024-01-15T10:00:00Z",
                "data", "{\"assignmentId\":\"" + assignment + "\",\"organizationCode\":\"" + code + "\"}"));
        awaitDeadLetter("crm:organization-assignments", id);
        await().atMost(PROCESSING).until(() -> PUBLISHER.xpending("crm:organization-assignments", "organization-assignment-consumers",
                io.lettuce.core.Range.create(id, id), io.lettuce.core.Limit.from(1)).isEmpty());
        // the cause is fixed: the organization now exists
        awaitRecord("crm:sync:organization:org_created", publishFlat("crm:sync:organization:org_created", "org_created",
                tenant + "-org", "2024-01-15T09:00:00Z", "{\"organizationId\":\"" + tenant + "-org\",\"orgCode\":\"" + code + "\",\"name\":\"Late Org\"}"));

        Run dryRun = command("dlq", "replay", "--reason", "organization-not-found", "--from", since, "--dry-run");
        assertThat(dryRun.out()).contains("Would replay 1 of 1");
        assertThat(document("organizationAssignments", assignment)).isNull();

        Run replay = command("dlq", "replay", "--reason", "organization-not-found", "--type", "organization.assignment.created",
                "--from", since);

        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out()).contains("Replayed 1 of 1");
        assertThat(awaitDocument("organizationAssignments", assignment).getString("organizationName")).isEqualTo("Late Org");
        assertThat(command("dlq", "list", "--reason", "organization-not-found", "--from", since).out()).contains("0 entries");
    }

    /** A failure time of a test's own, so a replay's --from/--to select exactly the dead letters the test wrote. */
    private static Instant failedAtOfItsOwn() {
        return Instant.parse("2001-01-01T00:00:00Z").plusSeconds(java.util.concurrent.ThreadLocalRandom.current().nextLong(100_000_000L));
    }

    private static Run replayFailedAt(Instant failedAt, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("dlq", "replay", "--from", failedAt.toString(), "--to",
                failedAt.plusSeconds(1).toString()));
        args.addAll(List.of(more));
        return command(args.toArray(String[]::new));
    }

    private static boolean deadLettered(String id) {
        return deadLetters().stream().anyMatch(m -> m.getId().equals(id));
    }

    @Test
    void dlqReplayCommandAppliesAChangeOfATopicThroughTheCdcRoutesWithItsOwnIdentityAndTime() throws Exception {
        String id = tenant + "-p1";
        long lsn = ChangeDeadLetters.lsn();
        String position = ChangeDeadLetters.position();
        Instant failedAt = failedAtOfItsOwn();
        // the store refused it once (a validator since fixed); no dlq.sourceKind: its topic says it is a change
        String dead = ChangeDeadLetters.write("write-rejected", position, failedAt,
                ChangeDeadLetters.purchase("c", id, tenant, lsn), ChangeDeadLetters.key(id));

        Run run = replayFailedAt(failedAt);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Replayed 1 of 1 matching dead-letter entries").doesNotContain("failed");
        org.bson.Document purchase = awaitDocument("purchases", id);
        String eventId = "public.purchase_ledger/" + lsn + "/" + id;
        assertThat(purchase.getString("tenantId")).isEqualTo(tenant);
        assertThat(purchase.getString("status")).isEqualTo("paid");
        // its commit time and its own identity, not the replay's
        assertThat(purchase.get("_sync", org.bson.Document.class).get("stamps", org.bson.Document.class).getString("status"))
                .startsWith(String.format("%019d|", ChangeDeadLetters.COMMITTED_MS * 1_000_000L)).endsWith("|" + eventId);
        org.bson.Document record = awaitRecord(ChangeDeadLetters.TOPIC, position);
        assertThat(record.getString("eventId")).isEqualTo(eventId);
        assertThat(record.getString("status")).isEqualTo("processed");
        assertThat(PUBLISHER.exists(ChangeDeadLetters.TOPIC)).as("no stream named after the topic").isZero();
        assertThat(deadLettered(dead)).isFalse();
    }

    @Test
    void dlqReplayCommandReplaysAChangeReadFromKafkaOnceTheDocumentItCollidedWithIsGone() throws Exception {
        org.slf4j.LoggerFactory.getLogger(OpsToolsIT.class).info(
                "Expect a dead letter tenant-mismatch next: a purchase's id is taken by another tenant's document");
        String since = Instant.now().minusMillis(1).toString();
        String id = tenant + "-k1";
        long lsn = ChangeDeadLetters.lsn();
        collection("purchases").insertOne(new org.bson.Document("_id", id).append("tenantId", "someone-else"));
        KAFKA.send(ChangeDeadLetters.TOPIC, ChangeDeadLetters.key(id), ChangeDeadLetters.purchase("c", id, tenant, lsn));
        java.util.Map<String, String> dead = await().atMost(PROCESSING).until(() -> deadLetters().stream()
                .map(m -> m.getBody()).filter(b -> ChangeDeadLetters.TOPIC.equals(b.get("dlq.sourceStream"))
                        && b.getOrDefault("payload", "").contains(id)).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(dead.get("dlq.reason")).isEqualTo("tenant-mismatch");
        collection("purchases").deleteOne(Filters.eq("_id", id));

        Run run = command("dlq", "replay", "--reason", "tenant-mismatch", "--from", since);

        // Kafka delivers at least once: the ITs' apps share the broker and one group, so a rebalance may hand the
        // record to a second app before the first committed it, and the change is dead-lettered twice; every one is
        // replayed, and the replays converge on one document
        assertThat(run.out()).containsPattern("Replayed (\\d+) of \\1 matching dead-letter entries\\R");
        assertThat(awaitDocument("purchases", id).getString("tenantId")).isEqualTo(tenant);
        assertThat(awaitRecord(ChangeDeadLetters.TOPIC, dead.get("dlq.sourceId")).getString("eventId"))
                .isEqualTo("public.purchase_ledger/" + lsn + "/" + id);
    }

    /** Five change dead letters: one a fixed mapping heals, four no replay can. */
    private java.util.Map<String, String> changeDeadLettersFailedAt(Instant failedAt) {
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        String healable = tenant + "-h";
        // invalid-field from a mapping (a value's type): a fixed mapping heals it, so it is replayed
        ids.put("healable", ChangeDeadLetters.write("invalid-field", ChangeDeadLetters.position(), failedAt,
                ChangeDeadLetters.purchase("c", healable, tenant, ChangeDeadLetters.lsn()), ChangeDeadLetters.key(healable)));
        ids.put("not-json", ChangeDeadLetters.write("invalid-json", ChangeDeadLetters.position(), failedAt,
                "Struct{id=" + tenant + "}", null));
        ids.put("not-a-change", ChangeDeadLetters.write("invalid-field", ChangeDeadLetters.position(), failedAt,
                "{\"eventType\":\"user.created\"}", null));
        ids.put("ledger", ChangeDeadLetters.write("ledger-row-deleted", ChangeDeadLetters.position(), failedAt,
                ChangeDeadLetters.purchase("d", tenant + "-l", tenant, ChangeDeadLetters.lsn())
                        .replace("purchase_ledger", "wallet_ledger"), ChangeDeadLetters.key(tenant + "-l")));
        String position = ChangeDeadLetters.position();
        ids.put("no-tenant", ChangeDeadLetters.write("missing-field", position, failedAt,
                ChangeDeadLetters.purchase("c", tenant + "-n", null, ChangeDeadLetters.lsn()), ChangeDeadLetters.key(tenant + "-n")));
        ids.put("no-tenant-position", position);
        return ids;
    }

    private static void assertRefusals(String out, java.util.Map<String, String> ids) {
        assertThat(out).contains(ids.get("not-json") + ": not replayed (invalid-json): the change event is not a JSON object")
                .contains("the connector wrote something that is not JSON; fix its converter")
                .contains(ids.get("not-a-change") + ": not replayed (invalid-field): not a Debezium change event")
                .contains("not a Debezium change event; fix its configuration")
                .contains(ids.get("ledger") + ": not replayed (ledger-row-deleted): a row of an append-only ledger table "
                        + "was deleted; correct the balance with a new row")
                .contains(ids.get("no-tenant") + ": not replayed (missing-field): change event of purchase_ledger at "
                        + ids.get("no-tenant-position") + " has no tenant_id; the change itself lacks it, so no replay can "
                        + "apply it; fix the row at the source")
                .doesNotContain(ids.get("healable") + ":");
    }

    @Test
    void dryRunOfChangeDeadLettersCountsOnlyWhatWouldBeReplayedAndSaysWhyTheRestWouldNot() throws Exception {
        Instant failedAt = failedAtOfItsOwn();
        java.util.Map<String, String> ids = changeDeadLettersFailedAt(failedAt);

        Run run = replayFailedAt(failedAt, "--dry-run");

        assertThat(run.out()).contains("Would replay 1 of 5 matching dead-letter entries");
        assertRefusals(run.out(), ids);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(document("purchases", tenant + "-h")).isNull();
        assertThat(ids.entrySet()).filteredOn(e -> !e.getKey().endsWith("position"))
                .allSatisfy(e -> assertThat(deadLettered(e.getValue())).as(e.getKey()).isTrue());
    }

    @Test
    void changeDeadLettersNoReplayCanHealAreRefusedWithWhatToFixAtTheSourceAndKept() throws Exception {
        Instant failedAt = failedAtOfItsOwn();
        java.util.Map<String, String> ids = changeDeadLettersFailedAt(failedAt);

        Run run = replayFailedAt(failedAt);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Replayed 1 of 5 matching dead-letter entries");
        assertRefusals(run.out(), ids);
        assertThat(awaitDocument("purchases", tenant + "-h").getString("tenantId")).isEqualTo(tenant);
        assertThat(deadLettered(ids.get("healable"))).isFalse();
        for (String refused : List.of("not-json", "not-a-change", "ledger", "no-tenant")) {
            assertThat(deadLettered(ids.get(refused))).as(refused).isTrue();
        }
    }

    @Test
    void aChangeReplayedAndDeadLetteredAgainIsReportedAsFailedWithItsNewDeadLetterAndWhatToFix() throws Exception {
        org.slf4j.LoggerFactory.getLogger(OpsToolsIT.class).info(
                "Expect a dead letter missing-field next: a delete naming no tenant is replayed with nothing stored under its key");
        String id = tenant + "-d1";
        String position = ChangeDeadLetters.position();
        Instant failedAt = failedAtOfItsOwn();
        String dead = ChangeDeadLetters.write("missing-field", position, failedAt,
                ChangeDeadLetters.purchase("d", id, null, ChangeDeadLetters.lsn()), ChangeDeadLetters.key(id));

        Run run = replayFailedAt(failedAt);

        StreamMessage<String, String> again = deadLetters().stream()
                .filter(m -> position.equals(m.getBody().get("dlq.sourceId")) && !m.getId().equals(dead)).findFirst().orElseThrow();
        assertThat(again.getBody()).containsEntry("dlq.reason", "missing-field")
                .containsEntry("dlq.sourceStream", ChangeDeadLetters.TOPIC).containsEntry("dlq.sourceKind", "cdc");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Replayed 0 of 1 matching dead-letter entries")
                .contains(dead + ": replayed through the CDC routes and dead-lettered again as " + again.getId()
                        + " (missing-field): a delete of public.purchase_ledger names no tenant and no document is stored "
                        + "under its key " + id + "; set REPLICA IDENTITY FULL at the source (ALTER TABLE "
                        + "public.purchase_ledger REPLICA IDENTITY FULL)");
        assertThat(deadLettered(dead)).isFalse();
    }

    @Test
    void aDeleteNamingNoTenantIsReplayedOnceADocumentIsStoredUnderItsKey() throws Exception {
        String id = tenant + "-d2";
        Instant failedAt = failedAtOfItsOwn();
        String dead = ChangeDeadLetters.write("missing-field", ChangeDeadLetters.position(), failedAt,
                ChangeDeadLetters.purchase("d", id, null, ChangeDeadLetters.lsn()), ChangeDeadLetters.key(id));
        // the row's insert arrived late: the store now gives the delete its tenant
        collection("purchases").insertOne(new org.bson.Document("_id", id).append("tenantId", tenant).append("status", "paid"));

        Run run = replayFailedAt(failedAt);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Replayed 1 of 1 matching dead-letter entries");
        org.bson.Document purchase = await().atMost(PROCESSING).until(() -> document("purchases", id),
                d -> Boolean.TRUE.equals(d.getBoolean("deleted")));
        assertThat(purchase.getString("tenantId")).isEqualTo(tenant);
        assertThat(deadLettered(dead)).isFalse();
    }

    @Test
    void aReplayToAStreamNoConsumerGroupReadsIsRefusedAndKept() throws Exception {
        String stream = "it:nobody-reads:" + tenant;
        Instant failedAt = failedAtOfItsOwn();
        String dead = publish("crm:dlq", fields("eventId", tenant + "-u1", "eventType", "user.created", "tenantId", tenant,
                "data", "{}", "dlq.sourceStream", stream, "dlq.sourceId", "1700000000000-0", "dlq.reason", "invalid-field",
                "dlq.failedAt", failedAt.toString()));

        Run dryRun = replayFailedAt(failedAt, "--dry-run");
        Run run = replayFailedAt(failedAt);

        String refusal = dead + ": not replayed: no consumer group reads stream " + stream + "; nothing would read the replay";
        assertThat(dryRun.out()).contains("Would replay 0 of 1").contains(refusal);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Replayed 0 of 1").contains(refusal);
        assertThat(PUBLISHER.exists(stream)).isZero();
        assertThat(deadLettered(dead)).isTrue();
    }

    /** An old event replayed after a newer one keeps its time, so it still loses to it. */
    @Test
    void aReplayedEventWithoutTimestampKeepsItsOriginalTimeAndDoesNotUndoANewerDeactivation() throws Exception {
        String since = Instant.now().minusMillis(1).toString();
        String code = tenant + "-LATER";
        String assignment = tenant + "-asg2";
        // no timestamp: the event's time is its entry's
        String created = publish("crm:organization-assignments", fields("eventType", "organization.assignment.created",
                "tenantId", tenant, "data", "{\"assignmentId\":\"" + assignment + "\",\"organizationCode\":\"" + code + "\"}"));
        awaitDeadLetter("crm:organization-assignments", created);
        awaitRecord("crm:organization-assignments", publish("crm:organization-assignments", fields("eventType",
                "organization.assignment.deactivated", "tenantId", tenant, "data", "{\"assignmentId\":\"" + assignment + "\"}")));
        assertThat(document("organizationAssignments", assignment).getBoolean("isActive")).isFalse();
        awaitRecord("crm:sync:organization:org_created", publishFlat("crm:sync:organization:org_created", "org_created",
                tenant + "-org2", "2024-01-15T09:00:00Z", "{\"organizationId\":\"" + tenant + "-org2\",\"orgCode\":\"" + code + "\",\"name\":\"Later Org\"}"));

        assertThat(command("dlq", "replay", "--reason", "organization-not-found", "--from", since).out()).contains("Replayed 1 of 1");

        await().atMost(PROCESSING).until(() -> "Later Org".equals(document("organizationAssignments", assignment).getString("organizationName")));
        assertThat(document("organizationAssignments", assignment).getBoolean("isActive")).isFalse();
    }

    @Test
    void verifyReportsExactlyTheDocumentDeletedByHand() throws Exception {
        String stream = "crm:sync:user:user_created";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(publishFlat(stream, "user_created", tenant + "-v" + i, "2024-01-15T10:00:00Z", "{\"email\":\"v" + i + "@x\"}"));
        }
        ids.forEach(id -> awaitRecord(stream, id));
        collection("users").deleteOne(Filters.eq("_id", tenant + "-v3"));

        String report = http.getForObject("/actuator/verify?stream={s}&start={a}&end={b}", String.class, stream, ids.get(0), ids.get(4));
        Run run = command("verify", "--stream", stream, "--from", ids.get(0), "--to", ids.get(4));

        assertThat(report).contains("\"checked\":5").contains("\"upToDate\":4").contains(ids.get(3)).doesNotContain(ids.get(2));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(ids.get(3) + "  missing").contains("users/" + tenant + "-v3")
                .contains("5 checked: 4 up to date").doesNotContain(tenant + "-v2");
    }

    @Test
    void verifyReportsABalanceThatDisagreesWithItsLedger() throws Exception {
        String stream = "credit-events";
        String first = publish(stream, fields("eventId", tenant + "-v-c1", "eventType", "credit.allocated", "tenantId", tenant,
                "userId", "wallet", "amount", "10"));
        String second = publish(stream, fields("eventId", tenant + "-v-c2", "eventType", "credit.allocated", "tenantId", tenant,
                "userId", "wallet", "amount", "5"));
        awaitRecord(stream, first);
        awaitRecord(stream, second);
        // edited by hand, or a movement left out of it: the ledger says 15
        collection("creditBalances").updateOne(Filters.eq("_id", tenant + ":wallet"),
                new org.bson.Document("$set", new org.bson.Document("balance", new org.bson.types.Decimal128(12))));

        Run run = command("verify", "--stream", stream, "--from", first, "--to", second);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(first + "  ledger-disagrees").contains("creditBalances/" + tenant + ":wallet")
                .contains("balance 12, ledger sum 15");
    }

    @Test
    void verifyCountsACreditRefusedAtItsFoldAsDeadLetteredAndLeavesItOutOfTheLedgerSum() throws Exception {
        org.slf4j.LoggerFactory.getLogger(OpsToolsIT.class).info("Expect a dead letter invalid-field next: a credit its wallet's 34 digits cannot add");
        String stream = "credit-events";
        // a wallet an amount far beyond maxAmount reached before amounts were range-checked
        // (far from 34 digits in magnitude: mongo-java-server skips a $set of a number equal as a double)
        Decimal128 huge = new Decimal128(new BigDecimal("1E+26"));
        collection("creditLedger").insertOne(new org.bson.Document("_id", tenant + "-old").append("tenantId", tenant)
                .append("entityId", "full").append("amount", huge).append("folded", true));
        collection("creditBalances").insertOne(new org.bson.Document("_id", tenant + ":full").append("tenantId", tenant)
                .append("entityId", "full").append("balance", huge).append("entries", 1L).append("_sync",
                        new org.bson.Document("rev", 1L).append("balance", huge).append("entries", 1L)));
        String refused = publish(stream, fields("eventId", tenant + "-v-r1", "eventType", "credit.allocated", "tenantId", tenant,
                "userId", "full", "amount", "0.00000001"));
        // an allocation, not a consumption: folded first, a consumption would leave 26 digits, room for the refused one
        String applied = publish(stream, fields("eventId", tenant + "-v-r2", "eventType", "credit.allocated", "tenantId", tenant,
                "userId", "full", "amount", "1000000000000000"));
        assertThat(awaitDeadLetter(stream, refused).get("dlq.reason")).isEqualTo("invalid-field");
        awaitRecord(stream, applied);

        Run run = command("verify", "--stream", stream, "--from", refused, "--to", applied);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("2 checked: 1 up to date, 1 dead-lettered");
        assertThat(collection("creditLedger").find(Filters.eq("_id", tenant + "-v-r1")).first().get("refused")).isEqualTo(true);
    }

    @Test
    void stateChangingActionsNeedTheAdminToken() {
        String dryRun = "{\"dryRun\":true,\"reason\":\"none\"}";
        assertThat(post("/actuator/deadletters", dryRun, null).getStatusCode().value()).isEqualTo(401);
        assertThat(post("/actuator/deadletters", dryRun, "wrong").getStatusCode().value()).isEqualTo(401);
        ResponseEntity<String> allowed = post("/actuator/deadletters", dryRun, ADMIN_TOKEN);
        assertThat(allowed.getStatusCode().value()).isEqualTo(200);
        assertThat(allowed.getBody()).contains("\"dryRun\":true").contains("\"matched\":0");
        // reading dead letters shows original payloads: the token is needed there too
        assertThat(http.getForEntity("/actuator/deadletters?reason=none", String.class).getStatusCode().value()).isEqualTo(401);
        HttpHeaders auth = new HttpHeaders();
        auth.setBearerAuth(ADMIN_TOKEN);
        assertThat(http.exchange("/actuator/deadletters?reason=none", HttpMethod.GET, new HttpEntity<>(auth), String.class)
                .getStatusCode().value()).isEqualTo(200);
        assertThat(http.getForEntity("/actuator/streams", String.class).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void badFilterGetsAClearErrorNotAStackTrace() throws Exception {
        HttpHeaders auth = new HttpHeaders();
        auth.setBearerAuth(ADMIN_TOKEN);
        ResponseEntity<String> response = http.exchange("/actuator/deadletters?from=yesterday", HttpMethod.GET,
                new HttpEntity<>(auth), String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(command("dlq", "list", "--from", "yesterday").exitCode()).isEqualTo(2);
        assertThat(command("dlq", "list", "--colour", "red").exitCode()).isEqualTo(2);
    }

    @Test
    void redriveHandsADeadConsumersPendingEntryToALiveOneNow() {
        String stream = "crm:sync:user:user_deactivated";
        PUBLISHER.multi();
        PUBLISHER.xadd(stream, fields("eventType", "user_deactivated", "tenantId", tenant, "entityId", tenant + "-rd",
                "data", "{\"reason\":\"redrive\"}"));
        PUBLISHER.xreadgroup(Consumer.from("crm-consumers", "gone-pod"), XReadArgs.Builder.count(1),
                XReadArgs.StreamOffset.lastConsumed(stream));
        PUBLISHER.exec();

        ResponseEntity<String> response = post("/actuator/redrive", "{\"stream\":\"" + stream + "\",\"minIdle\":\"0s\"}", ADMIN_TOKEN);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"entries\":1");
        assertThat(awaitDocument("users", tenant + "-rd").getString("deactivationReason")).isEqualTo("redrive");
        await().atMost(PROCESSING).until(() -> PUBLISHER.xpending(stream, "crm-consumers").getCount() == 0);
    }
}
