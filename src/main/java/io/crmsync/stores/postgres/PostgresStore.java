package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.store.CulpritIsolation;
import io.crmsync.core.write.GroupCommit;
import io.crmsync.core.write.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches the {@code crm-postgres:} endpoints' writes: whatever queued up while one batch was written is written as
 * the next, in one transaction, and every event is settled only after that transaction commits. A statement
 * PostgreSQL refuses for one event's data (a constraint, a type) fails that event alone: the batch is written again
 * in halves down to the culprit ({@link CulpritIsolation}). PostgreSQL unreachable or failing as a whole fails them all, for the route's redeliveries.
 */
public class PostgresStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    static final RejectReason WRITE_REJECTED = new RejectReason("write-rejected");

    private final DataSource dataSource;
    private final StampRows stamps;
    private volatile boolean stampsReady;
    private final TableWrites writes;
    private final java.util.Map<Target, PostgresDirectory> directories = new java.util.concurrent.ConcurrentHashMap<>();
    private final GroupCommit<TableWrites.Request, Outcome> commits;
    // table checks put off because the database was unreachable when their route started; run once it answers
    private final java.util.Queue<DeferredCheck> deferredChecks = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A check of a table against its mapping. */
    @FunctionalInterface
    interface TableCheck {
        void run() throws SQLException;
    }

    private record DeferredCheck(String table, TableCheck check) {
    }

    public PostgresStore(DataSource dataSource, ObjectMapper json, int maxBatch, Executor completions) {
        this(dataSource, new StampRows(json), maxBatch, completions);
    }

    private PostgresStore(DataSource dataSource, StampRows stamps, int maxBatch, Executor completions) {
        this.dataSource = dataSource;
        this.stamps = stamps;
        this.writes = new TableWrites(stamps);
        this.commits = new GroupCommit<>("crm-sync-postgres-writes", maxBatch, this::flush, completions);
    }

    DataSource dataSource() {
        return dataSource;
    }

    StampRows stamps() {
        return stamps;
    }

    /** The lookups of this database for an endpoint writing {@code target}, fenced by its tenant column. */
    PostgresDirectory directory(Target target) {
        return directories.computeIfAbsent(target, own -> new PostgresDirectory(dataSource, own));
    }

    /** Completes once the event's write is committed, with its outcome, or with why it failed. */
    CompletionStage<Outcome> submit(TableWrites.Request request) {
        return commits.submit(request);
    }

    private void flush(List<GroupCommit.Job<TableWrites.Request, Outcome>> batch) throws SQLException {
        CulpritIsolation.write(batch, jobs -> {
            try {
                write(jobs);
            } catch (SQLException e) {
                if (jobs.size() > 1 && !isTransient(e)) {
                    LOG.warn("PostgreSQL refused a batch of {} writes ({}); writing them again in halves so only the "
                            + "culprit fails", jobs.size(), e.getMessage());
                }
                throw e;
            }
        }, job -> false, GroupCommit.Job::fail, FAILURES);
    }

    // a statement refused for one event's data fails it alone; anything else fails the batch, for redelivery
    private static final CulpritIsolation.Failures FAILURES = new CulpritIsolation.Failures() {
        @Override
        public boolean isInfrastructure(Exception failure) {
            return !(failure instanceof SQLException e) || isTransient(e);
        }

        @Override
        public Throwable culprit(Exception failure) {
            return rejected((SQLException) failure);
        }
    };

    private void write(List<GroupCommit.Job<TableWrites.Request, Outcome>> jobs) throws SQLException {
        Map<TableWrites.Request, Object> results = new IdentityHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            if (!stampsReady) {
                // made at the first write, not at start: the app starts (and the other stores sync) while PostgreSQL is away
                StampRows.create(connection);
                stampsReady = true;
            }
            connection.setAutoCommit(false);
            try {
                Map<Target, List<TableWrites.Request>> byTarget = new LinkedHashMap<>();
                jobs.forEach(job -> byTarget.computeIfAbsent(job.item().target(), t -> new java.util.ArrayList<>())
                        .add(job.item()));
                for (Map.Entry<Target, List<TableWrites.Request>> group : byTarget.entrySet()) {
                    if (group.getKey().isSet()) {
                        writes.replaceSets(connection, group.getKey(), group.getValue(), results);
                    } else {
                        writes.upsert(connection, group.getKey(), group.getValue(), results);
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        for (GroupCommit.Job<TableWrites.Request, Outcome> job : jobs) {
            Object result = results.get(job.item());
            if (result instanceof Outcome outcome) {
                job.complete(outcome);
            } else {
                job.fail(result instanceof Throwable failure ? failure
                        : new IllegalStateException("no result for event " + job.item().event().id()));
            }
        }
    }

    private static EventRejectedException rejected(SQLException e) {
        return new EventRejectedException(WRITE_REJECTED, "PostgreSQL refused the write: " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** Runs {@code check} of {@code table} once the database answers ({@link #answer()}). */
    void deferCheck(String table, TableCheck check) {
        deferredChecks.add(new DeferredCheck(table, check));
    }

    /**
     * Reaches the database and runs the table checks put off while it was unreachable; throws while it does not
     * answer. A table that does not fit its mapping is logged, not thrown: its route already runs, and each of its
     * events fails on its own until the table is fixed, as a column dropped later would make it.
     */
    public void answer() throws SQLException {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(5)) {
                throw new java.sql.SQLTransientConnectionException("PostgreSQL gave a connection that is not valid");
            }
        }
        for (DeferredCheck deferred = deferredChecks.peek(); deferred != null; deferred = deferredChecks.peek()) {
            try {
                deferred.check().run();
            } catch (SQLException e) {
                if (isTransient(e)) {
                    throw e;
                }
                LOG.error("Table {} does not fit its mapping: {}; its events fail until it is fixed", deferred.table(),
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Table {} does not fit its mapping: {}; its events fail until it is fixed", deferred.table(),
                        e.getMessage());
            }
            deferredChecks.poll();
        }
    }

    /** Unreachable, shutting down, out of resources, or a lost serialization race: the same write can succeed later. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException
                || state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58") || state.startsWith("40");
    }

    @Override
    public void close() {
        commits.close();
    }
}
