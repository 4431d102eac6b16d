package io.crmsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.crmsync.embedded.EmbeddedRedis;

/**
 * crm-sync under test: {@code java -Xmx.. -jar target/crm-sync.jar} in a process of its own, run from the
 * repository root (so ./routes and ./application.yaml are the shipped ones), with nothing but the documented
 * environment variables set: every default (records, acknowledgments, convergence, tenant guards) stays on.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    final Process process;
    final long startedNanos = System.nanoTime();
    final Path log;

    AppProcess(Path repo, String name, String xmx, String redisUrl, String mongoUri, List<String> extraJvmArgs) {
        this(repo, name, xmx, redisUrl, mongoUri, extraJvmArgs, java.util.Map.of());
    }

    /** @param extraEnv further documented variables, such as {@code CDC_DATABASE_URL} */
    public AppProcess(Path repo, String name, String xmx, String redisUrl, String mongoUri, List<String> extraJvmArgs,
            java.util.Map<String, String> extraEnv) {
        this.name = name;
        this.port = EmbeddedRedis.freePort();
        this.log = repo.resolve("target/bench-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(BenchServers.javaBinary(), "-Xmx" + xmx));
        command.addAll(extraJvmArgs);
        command.addAll(List.of("-jar", repo.resolve("target/crm-sync.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("REDIS_URL", redisUrl);
        builder.environment().put("MONGODB_URI", mongoUri);
        builder.environment().put("CRM_SYNC_CONSUMER_NAME", name);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("ROUTES_DIR", repo.resolve("routes").toString());
        builder.environment().putAll(extraEnv);
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until /actuator/health/readiness answers 200 (UP); false if it did not within the timeout. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (get("/actuator/health/readiness").startsWith("200")) {
                return true;
            }
            sleep(250);
        }
        return false;
    }

    /** "status body", or "000" when it does not answer. */
    public String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "000";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "000";
        }
    }

    /**
     * Heap in use now: {@code jvm.memory.used} over the heap pools, from the metrics endpoint; -1 if not answered. One
     * meter rather than a Prometheus scrape, which formats every meter and at one a second cost the app 3% of its CPU
     * (Prometheus scrapes it every 30 s in k8s/).
     */
    long heapUsedBytes() {
        String body = get("/actuator/metrics/jvm.memory.used?tag=area:heap");
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)").matcher(body);
        return body.startsWith("200") && value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    /** One thread dump (jstack), for the report's look at where the app spends its time. */
    void threadDump(Path to) {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    String.valueOf(pid())).redirectErrorStream(true).redirectOutput(to.toFile()).start();
            jstack.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no jstack in this JDK: the dump is optional
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as a node failure or an OOM kill would end it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (the app drains in-flight exchanges), then SIGKILL after 40 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
