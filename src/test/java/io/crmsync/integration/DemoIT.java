package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The README's "Run it": the demo says where its console is before anything else, at an address that answers,
 * reports what it synced in a summary that ends its output, and Ctrl-C (SIGINT) stops it cleanly with status 0, leaving
 * no temporary directory behind (its own, Tomcat's, its servers').
 */
class DemoIT {

    private static final Logger LOG = LoggerFactory.getLogger(DemoIT.class);

    @Test
    void the_readme_runs_the_jar_this_test_runs_and_builds_it_first() throws Exception {
        assertThat(Files.readString(Path.of("README.md")))
                .contains("mvn -q package -Dmaven.test.skip=true && java -jar target/crm-sync.jar demo");
    }

    @Test
    void the_demo_shows_every_store_and_stops_on_sigint_in_order_with_status_zero() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        // a temporary directory of the demo's own, so what it leaves is told apart from other processes' files;
        // readable by all: as root, PostgreSQL runs as another user inside it. A short name: PostgreSQL's socket lies
        // three levels down, and a socket's path has at most 107 characters
        Path tmp = Files.createTempDirectory("demo");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        long started = System.nanoTime();
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-jar", repo.resolve("target/crm-sync.jar").toString(), "demo", "--server.port=0")
                .directory(repo.toFile()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (Exception e) {
                lines.add("reader stopped: " + e);
            }
        });
        reader.start();
        try {
            long deadline = started + Duration.ofSeconds(120).toNanos();
            while (lines.stream().noneMatch(l -> l.contains(CONSOLE_LINE)) && System.nanoTime() < deadline && demo.isAlive()) {
                Thread.sleep(50);
            }
            long printed = System.nanoTime();
            String console = lines.stream().filter(l -> l.contains(CONSOLE_LINE)).findFirst()
                    .map(l -> l.replaceFirst(".*" + CONSOLE_LINE + "(\\S+).*", "$1")).orElseThrow(() -> new AssertionError(
                            "no console address in:\n" + String.join("\n", lines)));
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            assertThat(page.statusCode()).as("the printed console address, as printed").isEqualTo(200);
            assertThat(page.body()).contains("console.js");
            while (lines.stream().noneMatch(l -> l.contains("(the README's \"Add an event type\")")) && System.nanoTime() < deadline
                    && demo.isAlive()) {
                Thread.sleep(200);
            }
            LOG.info("The demo printed its console address {} s after it was started, the address answered at {} s, and it "
                    + "reported everything at {} s; the app itself: {}", seconds(printed - started),
                    seconds(answered - started), seconds(System.nanoTime() - started), lines.stream()
                            .filter(l -> l.contains("process running for")).findFirst().orElse("no start-up line"));
            String output = String.join("\n", lines);
            assertThat(output).contains("=== crm-sync demo ===").contains("admin token ")
                    .contains("agent_lead_sources of agent agent-uid-1").contains("aimedici")
                    .contains("purchases/").contains("\"status\": \"paid\"")
                    .containsPattern("export REDIS_URL=redis://127\\.0\\.0\\.1:\\d+ MONGODB_URI=mongodb://127\\.0\\.0\\.1:\\d+/crm "
                            + "LEADS_DATABASE_URL=postgresql://\\S+/leads CDC_DATABASE_URL=postgresql://\\S+/loyalty")
                    .contains("java -jar target/crm-sync.jar publish crm:sync:user:user_updated eventType=user.updated");
            int summary = indexOf(lines, "=== crm-sync demo ===");
            List<String> startUp = lines.subList(0, summary);
            assertThat(indexOf(lines, CONSOLE_LINE + "http://localhost:")).isLessThan(summary);
            assertThat(startUp).as("start-up lines before the summary").hasSizeLessThanOrEqualTo(60);
            // the demo publishes one malformed event on purpose: its dead letter is the one warning of a healthy start
            assertThat(startUp).filteredOn(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .allMatch(l -> l.contains("Dead-lettering entry") && l.contains("invalid-json"));
            Thread.sleep(2_000);
            assertThat(lines.stream().filter(l -> !l.isBlank()).reduce((first, second) -> second)).as("the summary is the "
                    + "last thing printed").hasValueSatisfying(last -> assertThat(last).contains("Add an event type"));

            new ProcessBuilder("kill", "-INT", String.valueOf(demo.pid())).start().waitFor();

            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo exits after SIGINT").isTrue();
            reader.join(5_000);
            assertThat(demo.exitValue()).isZero();
            List<String> shutdown = lines.subList(indexOf(lines, "Stopping the demo"), lines.size());
            assertThat(shutdown).last().asString().contains("Demo stopped");
            assertThat(shutdown).filteredOn(l -> l.contains(" WARN ") || l.contains(" ERROR ")).isEmpty();
            // what a machine keeps on purpose (PostgreSQL's bundled binaries, unpacked once) may stay; nothing else
            assertThat(leftIn(tmp)).as("the demo's temporary directories are removed")
                    .noneMatch(name -> name.startsWith("crm-sync-demo-") || name.startsWith("tomcat.")
                            || name.startsWith("embedded-postgres-") || name.startsWith("embedded-redis-"));
        } finally {
            // SIGTERM first: the demo then stops its embedded servers too, where SIGKILL would leave them running
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            FileSystemUtils.deleteRecursively(tmp);
        }
    }

    private static final String CONSOLE_LINE = "crm-sync demo: console at ";

    private static List<String> leftIn(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", lines));
    }
}
