package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Routes edited while the app runs: its own app and servers, watching a temporary routes directory that starts as
 * a copy of routes/ plus one file mounted the way a Kubernetes ConfigMap is ({@code ..data} symlink swapped).
 */
// observability on: tests switch the Prometheus endpoint off by default, and its metric names are asserted here
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoutesReloadIT {

    static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    static final EmbeddedMongo MONGO = EmbeddedMongo.start();
    static final RedisCommands<String, String> PUBLISHER = RedisClient.create(REDIS.url()).connect().sync();
    static final Path ROUTES = copyOfRoutes();
    static final Duration WITHIN = Duration.ofSeconds(10);

    @Autowired
    MongoClient mongo;
    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private String tenant;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("crm.redis-url", REDIS::url);
        registry.add("crm.mongodb-uri", () -> MONGO.uri("crm"));
        registry.add("crm.consumer-name", () -> "reload-it");
        registry.add("crm.streams.block-time", () -> "500ms");
        registry.add("crm.routes.dir", ROUTES::toString);
    }

    @BeforeEach
    void captureLogs() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.crmsync.routes")).addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger("io.crmsync.routes")).detachAppender(logs);
    }

    @Test
    void aNewRouteFileDroppedIntoTheDirectoryHasItsStreamConsumedWithinTenSeconds() throws IOException {
        String entry = publishUser("it:new-users", "u1");

        write("new-users.camel.yaml", streamRoute("new-users-streams", "it:new-users"));

        awaitRecord("it:new-users", entry, WITHIN);
        assertThat(document("users", tenant + "-u1")).isNotNull();
    }

    @Test
    void aBrokenNewFileIsRejectedLoggedAndCountedWhileTheOldRoutesKeepRunning() throws IOException {
        double failures = failures();

        write("broken.camel.yaml", "- route:\n    id: broken\n    from:\n      uri: \"direct:broken\n");

        await().atMost(WITHIN).until(() -> failures() > failures);
        assertThat(logged("broken.camel.yaml:4")).isTrue();
        // the gauge is set at the end of the scan that counted the failure
        await().atMost(WITHIN).until(() -> meters.get("crm.routes.invalid.files").gauge().value() > 0);
        assertThat(camel.getRoute("broken")).isNull();
        awaitRecord("crm:sync:user:user_created", publishUser("crm:sync:user:user_created", "u2"), WITHIN);
        Files.delete(ROUTES.resolve("broken.camel.yaml"));
    }

    @Test
    void breakingAnExistingFileLeavesItsRoutesRunning() throws IOException {
        // the route names a mapping, as a store endpoint may (without mapping= it picks the one declaring the type)
        String shipped = Files.readString(ROUTES.resolve("users.camel.yaml"));
        String original = shipped.replace("crm-mongodb:users\"", "crm-mongodb:users?mapping=user-created\"");
        double failures = failures();

        write("users.camel.yaml", original.replace("mapping=user-created", "mapping=user-craeted"));

        await().atMost(WITHIN).until(() -> failures() > failures);
        // the line of the store endpoint, not of the route's from
        assertThat(logged("users.camel.yaml:" + lineOf(original, "mapping=user-created")
                + ": endpoint 'crm-mongodb:users?mapping=user-craeted': no mapping 'user-craeted'")).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("user-streams")).isEqualTo(ServiceStatus.Started);
        awaitRecord("crm:sync:user:user_created", publishUser("crm:sync:user:user_created", "u3"), WITHIN);
        write("users.camel.yaml", shipped);
    }

    @Test
    void aBrokenMappingLeavesTheRunningOneAndIsReportedWithFileAndLine() throws IOException {
        String original = Files.readString(ROUTES.resolve("users.mapping.yaml"));
        String broken = original.replace("      isActive: {default: true}", "      isActive: {default: true, type: flag}");
        double failures = failures();

        write("users.mapping.yaml", broken);
        try {
            await().atMost(WITHIN).until(() -> failures() > failures);
            assertThat(logged("users.mapping.yaml:" + lineOf(broken, "type: flag") + ": unknown type 'flag'")).isTrue();
            String entry = publishUser("crm:sync:user:user_created", "u5");
            awaitRecord("crm:sync:user:user_created", entry, WITHIN);
            assertThat(document("users", tenant + "-u5").getBoolean("isActive")).isTrue();
        } finally {
            // a broken mapping left behind would fail the tests after this one too
            write("users.mapping.yaml", original);
        }
    }

    /** Written one after the other, as a deploy does: neither file alone is valid, both together are. */
    @Test
    void aMappingRenamedTogetherWithTheRouteThatNamesItIsApplied() throws IOException {
        String mapping = Files.readString(ROUTES.resolve("users.mapping.yaml"));
        // the route names the mapping, as a store endpoint may: the deactivations go to it
        String shipped = Files.readString(ROUTES.resolve("users.camel.yaml"));
        String routes = shipped.replace("crm-mongodb:users\"", "crm-mongodb:users?mapping=user-deactivated\"");

        write("users.mapping.yaml", mapping.replace("  user-deactivated:", "  user-deactivated-v2:"));
        write("users.camel.yaml", routes.replace("mapping=user-deactivated\"", "mapping=user-deactivated-v2\""));

        await().atMost(WITHIN).until(() -> camel.getEndpoints().stream()
                .anyMatch(e -> e.getEndpointUri().contains("mapping=user-deactivated-v2")));
        String entry = PUBLISHER.xadd("crm:sync:user:user_deactivated", Map.of("eventType", "user_deactivated",
                "entityId", tenant + "-u7", "tenantId", tenant, "data", "{\"reason\":\"renamed\"}"));
        awaitRecord("crm:sync:user:user_deactivated", entry, WITHIN);
        assertThat(document("users", tenant + "-u7").getString("deactivationReason")).isEqualTo("renamed");
        await().atMost(WITHIN).until(() -> meters.get("crm.routes.invalid.files").gauge().value() == 0);
        write("users.camel.yaml", shipped);
        write("users.mapping.yaml", mapping);
    }

    /** The README's "Add an event type", applied as it says to the running app's files. */
    @Test
    void theReadmesUserUpdatedIsAddedInYamlAloneAndWrittenWithinTenSeconds() throws Exception {
        List<String> snippets = ReadmeSnippets.yamlUnder("## Add an event type");
        String mapping = Files.readString(ROUTES.resolve("users.mapping.yaml"));
        String routes = Files.readString(ROUTES.resolve("users.camel.yaml"));
        PUBLISHER.xadd("crm:sync:user:user_created", Map.of("eventType", "user_created", "entityId", tenant + "-u6",
                "tenantId", tenant, "timestamp", "2024-01-15T10:30:00Z", "data", "{\"email\":\"old@example.com\",\"name\":\"Old\"}"));

        write("users.mapping.yaml", mapping.stripTrailing() + "\n\n" + snippets.get(0));
        write("users.camel.yaml", routes.replace("crm:sync:user:user_deleted\"", "crm:sync:user:user_deleted,crm:sync:user:user_updated\""));
        String entry = PUBLISHER.xadd("crm:sync:user:user_updated", Map.of("eventType", "user.updated",
                "entityId", tenant + "-u6", "tenantId", tenant, "timestamp", "2024-01-16T10:30:00Z",
                "data", "{\"name\":\"Ada King\",\"email\":\"ada@king.test\"}"));

        awaitRecord("crm:sync:user:user_updated", entry, WITHIN);
        Document user = document("users", tenant + "-u6");
        assertThat(user.getString("name")).isEqualTo("Ada King");
        assertThat(user.getString("email")).isEqualTo("ada@king.test");
        publishedAsTheReadmeSays();
    }

    /** The section's own publish command, as a reader runs it against this app's Redis. */
    private void publishedAsTheReadmeSays() throws Exception {
        List<String> publish = ReadmeSnippets.jarCommandsUnder("## Add an event type").stream()
                .filter(words -> words.get(0).equals("publish")).findFirst().orElseThrow();
        System.setProperty("crm.redis-url", REDIS.url());
        try {
            assertThat(io.crmsync.ops.cli.Commands.run(io.crmsync.CrmSyncApplication.class, "publish",
                    publish.subList(1, publish.size()).toArray(String[]::new))).isZero();
        } finally {
            System.clearProperty("crm.redis-url");
        }
        await().atMost(WITHIN).until(() -> document("users", "u-100") != null
                && "Ada King".equals(document("users", "u-100").getString("name")));
        assertThat(document("users", "u-100").getString("tenantId")).isEqualTo("acme");
    }

    /** The README's "Add a stream": a new pair of files, a renamed field and createdAt stored as a BSON date. */
    @Test
    void theReadmesNewStreamIsConsumedWithItsRenamedFieldAndBsonDateWithoutARestart() throws IOException {
        List<String> snippets = ReadmeSnippets.yamlUnder("## Add a stream");
        String entry = PUBLISHER.xadd("crm:signups", Map.of("eventType", "signup.completed", "entityId", tenant + "-l1",
                "tenantId", tenant, "data", "{\"email\":\"lead@example.com\",\"createdAt\":\"2024-03-01T08:00:00Z\"}"));

        write("signups.mapping.yaml", snippets.get(1));
        write("signups.camel.yaml", snippets.get(0));

        awaitRecord("crm:signups", entry, WITHIN);
        Document lead = document("leads", tenant + "-l1");
        assertThat(lead.getString("emailAddress")).isEqualTo("lead@example.com");
        assertThat(lead.get("email")).isNull();
        assertThat(lead.get("createdAt")).isEqualTo(java.util.Date.from(java.time.Instant.parse("2024-03-01T08:00:00Z")));
    }

    @Test
    void aConfigMapUpdateSwappingTheDataSymlinkIsApplied() throws IOException {
        String entry = publishUser("it:configmap-v2", "u4");

        Path next = ROUTES.resolve("..2024_02_01_00_00_00." + UUID.randomUUID());
        Files.createDirectory(next);
        Files.writeString(next.resolve("configmap.camel.yaml"), streamRoute("configmap-streams", "it:configmap-v2"));
        // what kubelet does: a new timestamped directory, a new link to it, renamed over ..data in one step
        Path link = Files.createSymbolicLink(ROUTES.resolve("..data_tmp"), next.getFileName());
        Files.move(link, ROUTES.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        awaitRecord("it:configmap-v2", entry, WITHIN);
        assertThat(camel.getRoute("configmap-streams").getEndpoint().getEndpointUri()).contains("it:configmap-v2");
    }

    @Test
    void reloadMetricsAreOnThePrometheusEndpoint() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("crm_routes_reload_total{", "crm_routes_invalid_files ",
                "crm_routes_last_reload_success_timestamp_seconds ");
    }

    private String publishUser(String stream, String user) {
        return PUBLISHER.xadd(stream, Map.of("eventType", "user_created", "entityId", tenant + "-" + user,
                "tenantId", tenant, "timestamp", "2024-01-15T10:30:00Z", "data", "{\"email\":\"" + user + "@example.com\"}"));
    }

    private void awaitRecord(String stream, String entryId, Duration within) {
        await().atMost(within).until(() -> document("eventProcessingRecords", stream + "/" + entryId) != null);
    }

    private Document document(String collection, String id) {
        return mongo.getDatabase("crm").getCollection(collection).find(Filters.eq("_id", id)).first();
    }

    private double failures() {
        return meters.get("crm.routes.reload").tag("result", "failure").counter().count();
    }

    private boolean logged(String text) {
        return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    /** Written beside and moved in, as a deploy tool would, so no scan reads half a file. */
    private static void write(String name, String content) throws IOException {
        Path temp = ROUTES.resolve("." + name + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, ROUTES.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String streamRoute(String id, String stream) {
        return """
                - templatedRoute:
                    routeTemplateRef: redis-stream-source
                    routeId: %s
                    parameters:
                      - name: streams
                        value: "%s"
                """.formatted(id, stream);
    }

    private static int lineOf(String content, String text) {
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(text + " is not in the file");
    }

    /** routes/*.camel.yaml and *.mapping.yaml, plus configmap.camel.yaml laid out as a ConfigMap volume: a link into ..data. */
    private static Path copyOfRoutes() {
        try {
            Path dir = Files.createTempDirectory("routes-reload-it");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml") || f.toString().endsWith(".mapping.yaml")).toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            Path first = Files.createDirectory(dir.resolve("..2024_01_01_00_00_00.1"));
            Files.writeString(first.resolve("configmap.camel.yaml"), streamRoute("configmap-streams", "it:configmap-v1"));
            Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
            Files.createSymbolicLink(dir.resolve("configmap.camel.yaml"), Path.of("..data", "configmap.camel.yaml"));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
