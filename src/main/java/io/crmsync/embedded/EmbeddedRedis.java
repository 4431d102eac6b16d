package io.crmsync.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redis-server process on 127.0.0.1, for the demo mode and the tests: started on a given or free port in its own
 * directory, and killable and restartable on the same port so tests can simulate crashes and outages.
 * <p>
 * The binary is, in order: system property or env {@code CRM_SYNC_REDIS_BINARY}, {@code redis-server} on the PATH
 * (or /usr/bin), else the Redis 6.2 binary shipped inside {@code com.github.codemonstur:embedded-redis}.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    public static final String BINARY_PROPERTY = "CRM_SYNC_REDIS_BINARY";

    private final String binary;
    private final int port;
    private final Path dir;
    // everything after the binary; kept so restart() launches the same server
    private final List<String> args = new ArrayList<>();
    // volatile: read by the shutdown hook's thread
    private volatile Process process;

    private EmbeddedRedis(String binary, int port) {
        this.binary = binary;
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("embedded-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a server its owner never closes (a static test fixture, a demo stopped with Ctrl-C) dies with this JVM,
        // instead of outliving it on its port
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process running = process;
            if (running != null && running.isAlive()) {
                running.destroyForcibly();
            }
        }, "embedded-redis-" + port));
    }

    /** Starts a server on a free port. */
    public static EmbeddedRedis start(String... extraArgs) {
        return start(0, extraArgs);
    }

    /** Starts a server on {@code port} (0: a free one) with extra redis-server arguments. */
    public static EmbeddedRedis start(int port, String... extraArgs) {
        return startWith(resolveBinary(), port, extraArgs);
    }

    /** Starts a server with a given binary; tests use it to prove the bundled fallback works. */
    public static EmbeddedRedis startWith(String binary, int port, String... extraArgs) {
        EmbeddedRedis redis = new EmbeddedRedis(binary, port == 0 ? freePort() : port);
        redis.args.addAll(List.of("--port", String.valueOf(redis.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", redis.dir.toString(), "--protected-mode", "no"));
        // later arguments win, so callers may turn persistence back on
        redis.args.addAll(List.of(extraArgs));
        try {
            redis.launch();
        } catch (RuntimeException e) {
            // its caller never gets the server to close: its directory would stay behind
            redis.close();
            throw e;
        }
        return redis;
    }

    /**
     * Starts a Sentinel (redis-server in sentinel mode) on a free port that monitors {@code primaryName} at
     * 127.0.0.1:{@code primaryPort} with a quorum of 1 and short timeouts, for failover tests.
     */
    public static EmbeddedRedis startSentinel(String primaryName, int primaryPort) {
        EmbeddedRedis sentinel = new EmbeddedRedis(resolveBinary(), freePort());
        Path conf = sentinel.dir.resolve("sentinel.conf");
        try {
            Files.writeString(conf, String.join("\n",
                    "sentinel monitor " + primaryName + " 127.0.0.1 " + primaryPort + " 1",
                    "sentinel down-after-milliseconds " + primaryName + " 1000",
                    "sentinel failover-timeout " + primaryName + " 5000",
                    "sentinel parallel-syncs " + primaryName + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a sentinel needs its config file first and rewrites it, so it lives in the sentinel's own directory
        sentinel.args.addAll(List.of(conf.toString(), "--sentinel", "--port", String.valueOf(sentinel.port),
                "--bind", "127.0.0.1", "--dir", sentinel.dir.toString(), "--protected-mode", "no"));
        sentinel.launch();
        return sentinel;
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        // a session of its own: Ctrl-C in a terminal signals the whole foreground group, and the server must outlive
        // the app's orderly stop (the demo stops it last); setsid execs in place, so the pid is the server's
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(binary);
        command.addAll(args);
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
        awaitPing();
        LOG.info("redis-server {} listening on 127.0.0.1:{}", binary, port);
    }

    private void awaitPing() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = new byte[64];
                int n = socket.getInputStream().read(reply);
                // "-LOADING" while an AOF is read back: not ready yet
                if (n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + ": " + log());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL: the server dies as in a crash, without saving anything. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: the server shuts down cleanly (and writes its AOF if enabled). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    /** Stops (if running) and starts again on the same port and directory. */
    public void restart() {
        stop();
        launch();
    }

    /** Starts again after {@link #kill()} or {@link #stop()}. */
    public void startAgain() {
        if (process == null || !process.isAlive()) {
            launch();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public String binary() {
        return binary;
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", dir, e);
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resolveBinary() {
        String forced = System.getProperty(BINARY_PROPERTY, System.getenv(BINARY_PROPERTY));
        if (forced != null && !forced.isBlank()) {
            return forced;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                File candidate = new File(entry, "redis-server");
                if (candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        if (new File("/usr/bin/redis-server").canExecute()) {
            return "/usr/bin/redis-server";
        }
        return bundledBinary();
    }

    /**
     * Extracts the redis-server (6.2) shipped in the embedded-redis jar for this OS and architecture.
     */
    public static String bundledBinary() {
        try {
            return redis.embedded.core.ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("No redis-server found and the bundled one cannot be extracted", e);
        }
    }
}
