package io.crmsync.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.crmsync.embedded.EmbeddedRedis;

/**
 * A Kafka broker (io.crmsync.integration.EmbeddedKafka's main) in a JVM of its own, so the soak can kill it with
 * SIGKILL in the middle of a batch and start it again on the same port and data.
 */
final class KafkaProcess implements AutoCloseable {

    static final List<String> TOPICS = List.of("crm.public.purchase_ledger", "crm.public.wallet_ledger");

    private final Path data;
    private final int port = EmbeddedRedis.freePort();
    private final int controllerPort = EmbeddedRedis.freePort();
    private Process process;

    KafkaProcess() {
        try {
            data = Files.createTempDirectory("soak-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch();
    }

    /** Starts the broker (again): the directory is formatted only the first time. */
    void launch() {
        List<String> command = new ArrayList<>(List.of(BenchServers.javaBinary(), "-Xmx512m", "-cp", testClasspath(),
                "io.crmsync.integration.EmbeddedKafka", data.toString(), String.valueOf(port), String.valueOf(controllerPort)));
        command.addAll(TOPICS);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BenchServers.awaitReady(process);
    }

    /** SIGKILL: nothing flushed, no controlled shutdown. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * This JVM's test classpath: under failsafe {@code java.class.path} (a jar whose manifest lists it), under
     * exec:java the URLs of the context class loader the plugin made.
     */
    static String testClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        // not a file: nothing a child JVM could load
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        return String.join(File.pathSeparator, entries);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
