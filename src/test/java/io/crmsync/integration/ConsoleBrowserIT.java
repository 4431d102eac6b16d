package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The web console walked in a real browser: headless Chromium (Debian's {@code chromium} package) driven by Playwright
 * (src/test/resources/console/walk.mjs). Skipped where Chromium or Node.js is missing; .ci/run installs Chromium.
 */
// Kafka is off, as in a deployment without it: its source must show as not configured, not as a failure
@org.springframework.test.context.TestPropertySource(properties = "crm.kafka.enabled=false")
class ConsoleBrowserIT extends SyncITSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowserIT.class);
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @LocalServerPort
    int port;

    @Test
    void a_newcomer_sees_streams_with_charts_records_documents_routes_and_replays_a_dead_letter_in_1280_px() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (Debian package chromium)");
        assumeTrue(run(List.of("node", "--version"), Path.of(".")) == 0, "no Node.js");
        Path tools = Path.of("target/console-browser").toAbsolutePath();
        Files.createDirectories(tools);
        Files.copy(Path.of("src/test/resources/console/walk.mjs"), tools.resolve("walk.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
            assertThat(run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "playwright-core@1"), tools))
                    .as("npm install playwright-core").isZero();
        }
        String user = tenant + "-console";
        publishFlat("crm:sync:user:user_created", "user_created", user, "2026-11-30T10:00:00Z",
                "{\"email\":\"" + user + "@example.com\"}");
        LOG.info("Expect a dead letter invalid-json next: the console replays it");
        String dead = publishFlat("crm:sync:user:user_created", "user_created", tenant + "-broken", "2026-11-30T10:00:00Z",
                "{not json");
        awaitDeadLetter("crm:sync:user:user_created", dead);

        int exit = run(List.of("node", "walk.mjs", "http://localhost:" + port, ADMIN_TOKEN, user, dead), tools);

        assertThat(exit).as("the console walk (its steps are in the log above)").isZero();
        assertThat(tools.resolve("console.png")).exists();
    }

    private static int run(List<String> command, Path dir) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return -1;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -2;
        }
        if (!output.isBlank()) {
            LOG.info("{}:\n{}", String.join(" ", command), output.strip());
        }
        return process.exitValue();
    }
}
