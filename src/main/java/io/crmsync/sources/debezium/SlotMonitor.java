package io.crmsync.sources.debezium;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.crmsync.core.connect.PostgresUrl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the replication slot, because the embedded connector fails quietly: its engine thread only logs. Every
 * {@code checkInterval} it reads {@code pg_replication_slots} and exports whether the slot exists, whether a reader
 * holds it, and how much WAL it holds back. When this instance leads (holds the cluster lock) and the slot has had
 * no reader for {@code inactiveGrace} (the connector died: the slot was dropped, the WAL it needed purged, the
 * database restarted) it restarts the source route, which resumes from its stored offset or, when that position is
 * gone, takes a new snapshot ({@code snapshot.mode=when_needed}); the convergent writes make re-applied rows harmless.
 */
public class SlotMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotMonitor.class);

    /** What the last check saw. {@code error} is set when the database could not be read. */
    public record State(boolean exists, boolean active, long lagBytes, Instant readerSince, Instant inactiveSince,
            String error) {
    }

    private final CdcProperties properties;
    private final PostgresUrl database;
    private final BooleanSupplier leading;
    private final Runnable restart;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "crm-cdc-slot-monitor");
        thread.setDaemon(true);
        return thread;
    });
    // when the checks began: the grace of a fresh start counts from here, not from the app's (slower) start-up
    private volatile Instant started;
    private volatile State state;
    private volatile Instant lastRestart = Instant.EPOCH;
    // graces to wait after a restart before the next; back to 1 once a connector reads the slot
    private volatile int restartBackoff = 1;
    // each captured table to "ok" or what to fix; empty until the database first answered
    private volatile Map<String, String> tables = Map.of();
    // the failure last logged, so each is logged once
    private volatile String reported;
    private final AtomicBoolean starting = new AtomicBoolean();

    /**
     * @param leading whether this instance holds the cluster lock (its source route reads the slot)
     * @param restart restarts the source route
     */
    public SlotMonitor(CdcProperties properties, MeterRegistry meters, BooleanSupplier leading, Runnable restart,
            Clock clock) {
        this.properties = properties;
        this.database = PostgresUrl.parse(properties.databaseUrl());
        this.leading = leading;
        this.restart = restart;
        this.clock = clock;
        this.started = clock.instant();
        this.state = new State(false, false, 0, null, started, "not checked yet");
        Gauge.builder("crm.cdc.slot.active", () -> state.active() ? 1 : 0).tag("slot", properties.slot())
                .description("1 while a connector reads the replication slot").register(meters);
        Gauge.builder("crm.cdc.slot.lag", () -> state.lagBytes()).tag("slot", properties.slot()).baseUnit("bytes")
                .description("WAL the replication slot holds back: written, not yet confirmed by the connector")
                .register(meters);
        Gauge.builder("crm.cdc.connector.up", () -> failure() == null ? 1 : 0).tag("slot", properties.slot())
                .description("0 when the CDC source has failed: no reader for the slot, or the slot is gone").register(meters);
    }

    /** Begins the checks; later calls do nothing. */
    public void start() {
        if (!starting.compareAndSet(false, true)) {
            return;
        }
        started = clock.instant();
        long every = properties.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Whether this instance holds the cluster lock, so its source route reads the slot. */
    public boolean leading() {
        return leading.getAsBoolean();
    }

    public State state() {
        return state;
    }

    /** Why the source counts as failed, or null. A fresh start and a failover get {@code inactiveGrace} first. */
    public String failure() {
        State now = state;
        Instant cutoff = clock.instant().minus(properties.inactiveGrace());
        if (now.error() != null && started.isBefore(cutoff)) {
            return "cannot read slot " + properties.slot() + " on " + database + ": " + now.error();
        }
        if (!now.exists() && started.isBefore(cutoff)) {
            return "replication slot " + properties.slot() + " does not exist on " + database;
        }
        if (now.exists() && !now.active() && now.inactiveSince() != null && now.inactiveSince().isBefore(cutoff)) {
            return "no connector has read replication slot " + properties.slot() + " since " + now.inactiveSince();
        }
        return null;
    }

    /** True when the slot holds back more WAL than the threshold. */
    public boolean lagging() {
        return state.lagBytes() > properties.lagThreshold();
    }

    void check() {
        State previous = state;
        Instant now = clock.instant();
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement("select active, "
                        + "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint "
                        + "from pg_replication_slots where slot_name = ?")) {
            select.setString(1, properties.slot());
            try (ResultSet row = select.executeQuery()) {
                boolean exists = row.next();
                boolean active = exists && row.getBoolean(1);
                long lag = exists ? row.getLong(2) : 0;
                // a snapshot reads the tables, not the slot: the slot has no reader until it ends, however long it takes,
                // and restarting the source then would abandon the snapshot half read
                boolean reading = active || snapshotRunningHere();
                if (active) {
                    restartBackoff = 1;
                }
                state = next(previous, exists, active, reading, lag, now);
            }
            checkTables(connection);
        } catch (SQLException e) {
            state = new State(previous.exists(), false, previous.lagBytes(), null,
                    previous.inactiveSince() != null ? previous.inactiveSince() : now, e.getMessage());
        }
        report();
        heal(now);
    }

    /**
     * The slot's state after a check that found it. Its inactivity counts from the first check that saw it exist with
     * no reader: a slot just made by a connector (a first start, a new snapshot after a dropped slot) has no reader
     * until the connector streams, and counting from a check before it existed would restart the connector at once,
     * abandoning the changes it was handing over.
     *
     * @param reading a connector reads the slot, or this instance's connector takes a snapshot
     */
    static State next(State previous, boolean exists, boolean active, boolean reading, long lag, Instant now) {
        Instant inactiveSince = reading || !exists ? null
                : previous.exists() && previous.inactiveSince() != null ? previous.inactiveSince() : now;
        Instant readerSince = active && previous.readerSince() != null ? previous.readerSince() : active ? now : null;
        return new State(exists, active, lag, readerSince, inactiveSince, null);
    }

    /** One log line when the source fails, and one when it works again: the metric and readiness say it meanwhile. */
    private void report() {
        String now = failure();
        if (now != null && !now.equals(reported)) {
            LOG.warn("CDC source of slot {} has failed: {}", properties.slot(), now);
        } else if (now == null && reported != null) {
            LOG.info("CDC source of slot {} on {} works again", properties.slot(), database);
        }
        reported = now;
    }

    /**
     * Whether this instance's connector is taking a snapshot: Debezium's snapshot metrics, registered in this JVM by the
     * connector that runs here (the leader's). Another instance cannot see it, and only the leader restarts the source.
     */
    static boolean snapshotRunningHere() {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            for (javax.management.ObjectName name : server.queryNames(new javax.management.ObjectName(
                    "debezium.postgres:type=connector-metrics,context=snapshot,*"), null)) {
                if (Boolean.TRUE.equals(server.getAttribute(name, "SnapshotRunning"))) {
                    return true;
                }
            }
        } catch (javax.management.JMException | RuntimeException e) {
            LOG.debug("Cannot read Debezium's snapshot metrics: {}", e.toString());
        }
        return false;
    }

    /** Each captured table to {@code ok} or what to fix, as of the last check; empty before the database answered. */
    public Map<String, String> tables() {
        return tables;
    }

    /** Checks the captured tables now. */
    public Map<String, String> checkTablesNow() throws SQLException {
        return checkTables(properties);
    }

    /**
     * Each captured table to {@code ok} or what to fix, read now: for a command ({@code status}), which runs no
     * monitor. Nothing is logged; the command prints it.
     */
    public static Map<String, String> checkTables(CdcProperties properties) throws SQLException {
        try (Connection connection = connect(PostgresUrl.parse(properties.databaseUrl()))) {
            return CdcTables.check(connection, properties.tables(), properties.publication());
        }
    }

    private Connection connect() throws SQLException {
        return connect(database);
    }

    /** A connection that fails within seconds when the database hangs, so a check never outlasts its interval. */
    private static Connection connect(PostgresUrl database) throws SQLException {
        java.util.Properties options = new java.util.Properties();
        options.setProperty("user", database.user());
        if (database.password() != null) {
            options.setProperty("password", database.password());
        }
        options.setProperty("connectTimeout", "5");
        options.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(database.jdbcUrl(), options);
    }

    /** Logs a table's problem once, when it is first seen (and again only after it was fixed and came back). */
    private void checkTables(Connection connection) throws SQLException {
        Map<String, String> previous = tables;
        Map<String, String> now = CdcTables.check(connection, properties.tables(), properties.publication());
        now.forEach((table, problem) -> {
            if (!"ok".equals(problem) && !problem.equals(previous.get(table))) {
                LOG.warn("CDC table {} on {} {}", table, database, problem);
            }
        });
        tables = now;
    }

    private void heal(Instant now) {
        String failure = failure();
        if (failure == null || state.error() != null || !leading.getAsBoolean()) {
            return;
        }
        // restarting takes a while (a snapshot, the engine waiting for the stopped one's metrics to go): each restart
        // that did not bring a reader back doubles the wait before the next, up to 16 graces, so a slow start is
        // never cut short again and again
        if (Duration.between(lastRestart, now).compareTo(properties.inactiveGrace().multipliedBy(restartBackoff)) < 0) {
            return;
        }
        lastRestart = now;
        restartBackoff = Math.min(restartBackoff * 2, 16);
        LOG.warn("CDC source of slot {} on {} has failed ({}); restarting it: it resumes from its stored offset, or "
                + "takes a new snapshot when that position is gone", properties.slot(), database, failure);
        try {
            restart.run();
        } catch (RuntimeException e) {
            LOG.warn("Restarting the CDC source of slot {} failed: {}", properties.slot(), e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
