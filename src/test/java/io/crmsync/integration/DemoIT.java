package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Run it": the demo says where its console is before anything else, reports what it synced in a summary
 * that ends its output, and Ctrl-C (SIGINT) stops it cleanly with status 0, leaving no temporary directory behind.
 */
class DemoIT {

    private static final Logger LOG = LoggerFactory.getLogger(DemoIT.class);

    @Test
    void the_readme_runs_the_jar_this_test_runs_and_builds_it_first() throws Exception {
        assertThat(java.nio.file.Files.readString(Path.of("README.md")))
                .contains("mvn -q package -Dmaven.test.skip=true && java -jar target/crm-sync.jar demo");
    }

    @Test
    void the_demo_shows_every_store_and_stops_on_sigint_in_order_with_status_zero() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        java.util.Set<String> clustersBefore = demoClusterDirectories();
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                repo.resolve("target/crm-sync.jar").toString(), "demo", "--server.port=0")
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
            long started = System.nanoTime();
            long deadline = started + Duration.ofSeconds(120).toNanos();
            while (lines.stream().noneMatch(l -> l.contains("(the README's \"Add an event type\")")) && System.nanoTime() < deadline
                    && demo.isAlive()) {
                Thread.sleep(200);
            }
            LOG.info("The demo reported everything {} s after it was started; the app itself: {}",
                    String.format("%.1f", (System.nanoTime() - started) / 1e9), lines.stream()
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
            assertThat(indexOf(lines, "crm-sync demo: console at http://localhost:")).isLessThan(summary);
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
            assertThat(demoClusterDirectories()).as("the demo's temporary directories are removed").isEqualTo(clustersBefore);
        } finally {
            // SIGTERM first: the demo then stops its embedded servers too, where SIGKILL would leave them running
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    private static java.util.Set<String> demoClusterDirectories() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("crm-sync-demo-cluster-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
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
