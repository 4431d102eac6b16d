package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/crm-sync.jar test [dir]}, run as a user runs it: the built jar in a JVM of its own.
 */
class RouteTestsIT {

    @TempDir
    Path dir;

    @Test
    void theShippedRoutesPassEveryOneOfTheirRouteTests() throws Exception {
        Result result = test(Path.of("routes"));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("Route tests in routes: " + testsIn(Path.of("routes")) + " passed, 0 failed")
                .doesNotContain("FAIL ");
    }

    @Test
    void aWrongExpectationExitsOneAndSaysWhatDiffers() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> !f.toString().endsWith(".test.yaml")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(dir.resolve("wrong.test.yaml"), """
                tests:
                  - name: expects the wrong email
                    entries:
                      - stream: crm:sync:user:user_created
                        fields: {eventType: user_created, tenantId: acme, entityId: u-1, data: {email: a@acme.test}}
                    expect:
                      documents:
                        users:
                          - {_id: u-1, email: b@acme.test}
                """);

        Result result = test(dir);

        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("FAIL wrong.test.yaml:2 expects the wrong email")
                .contains("users/u-1: email is 'a@acme.test', expected 'b@acme.test'")
                .contains("0 passed, 1 failed");
    }

    private record Result(int exit, String output) {
    }

    private static Result test(Path routes) throws IOException, InterruptedException {
        Path jar = Path.of("target", "crm-sync.jar");
        assertThat(jar).as("built by the package phase").exists();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "test", routes.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static long testsIn(Path routes) throws IOException {
        try (Stream<Path> files = Files.list(routes)) {
            long count = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".test.yaml")).toList()) {
                List<String> lines = Files.readAllLines(file);
                count += lines.stream().filter(l -> l.startsWith("  - name: ")).count();
            }
            return count;
        }
    }
}
