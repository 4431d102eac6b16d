package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code /actuator/health/postgres}, in readiness: DOWN while the store's database does not answer, found by a probe
 * every {@code interval} on a thread of its own (a probe must answer at once, even while the database hangs). An
 * outage is otherwise silent: its writes wait pending in their streams, which looks like a slow day. The change of
 * state is logged once each way, and {@code crm.postgres.up} is 0 meanwhile.
 */
final class PostgresHealth implements HealthIndicator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHealth.class);

    private final DataSource dataSource;
    private final String database;
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "crm-postgres-health");
        thread.setDaemon(true);
        return thread;
    });
    // null while the database answers; the first probe has not run yet when "not checked yet"
    private volatile String failure = "not checked yet";

    PostgresHealth(DataSource dataSource, String database, MeterRegistry meters, Duration interval) {
        this.dataSource = dataSource;
        this.database = database;
        Gauge.builder("crm.postgres.up", () -> failure == null ? 1 : 0)
                .description("1 while the PostgreSQL store's database answers").register(meters);
        probe.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void check() {
        String now;
        try (Connection connection = dataSource.getConnection()) {
            now = connection.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            now = e.getMessage();
        }
        String before = failure;
        failure = now;
        if (now != null && (before == null || "not checked yet".equals(before))) {
            LOG.warn("PostgreSQL store {} does not answer: {}; its events wait pending in their streams", database, now);
        } else if (now == null && before != null && !"not checked yet".equals(before)) {
            LOG.info("PostgreSQL store {} answers again", database);
        }
    }

    @Override
    public Health health() {
        String now = failure;
        return (now == null ? Health.up() : Health.down().withDetail("failure", now)).withDetail("database", database).build();
    }

    @Override
    public void close() {
        probe.shutdownNow();
    }
}
