package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.Keys;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Stamp;
import io.crmsync.core.write.StampedMerge;
import io.crmsync.core.write.Write;

/**
 * The two write kinds of a table, inside the caller's transaction. Every event of a batch gets a result: its outcome,
 * or why it alone was refused. Events of one row may come in any order; the stamps make the result the one their
 * event-time order gives.
 */
final class TableWrites {

    /** One event's write to a table. */
    record Request(Target target, CanonicalEvent event, Write.FieldUpdate update, boolean force) {

        Stamp stamp() {
            return Stamp.of(event, update.tombstone());
        }

        /** The row (or set) key: the mapped key for an upsert, the owner columns' values for a set. */
        String rowKey() {
            if (!target.isSet()) {
                return update.id();
            }
            List<String> parts = new ArrayList<>();
            for (String column : target.key()) {
                Object value = update.fields().get(column);
                if (value == null) {
                    throw new EventRejectedException(RejectReason.MISSING_FIELD, "event " + event.id() + " ("
                            + event.type() + ") gives no " + column + " for the set in " + target.table());
                }
                parts.add(value.toString());
            }
            return parts.size() == 1 ? parts.get(0) : Keys.join(parts.toArray(String[]::new));
        }

        /** The rows of this set's owner, within the tenant: {@code k1 = ? and ... and tenant = ?}. */
        String ownerFilter() {
            StringBuilder filter = new StringBuilder();
            for (String column : target.key()) {
                filter.append(Sql.identifier(column, "key column")).append(" = ? and ");
            }
            return filter.append(Sql.identifier(target.tenantColumn(), "tenant column")).append(" = ?").toString();
        }

        /** Binds {@link #ownerFilter()}'s values from the first parameter on; returns the next parameter's index. */
        int bindOwner(PreparedStatement statement) throws SQLException {
            int i = 1;
            for (String column : target.key()) {
                Sql.bind(statement, i++, update.fields().get(column));
            }
            statement.setString(i++, event.tenantId());
            return i;
        }
    }

    private static final Comparator<Request> BY_STAMP = Comparator.comparing(Request::stamp);

    private final StampRows stamps;

    TableWrites(StampRows stamps) {
        this.stamps = stamps;
    }

    /** Column-wise convergent upserts: each column takes the value of the newest event that set it. */
    void upsert(Connection connection, Target target, List<Request> requests, Map<Request, Object> results)
            throws SQLException {
        Map<String, CanonicalEvent> first = new LinkedHashMap<>();
        requests.forEach(r -> first.putIfAbsent(r.rowKey(), r.event()));
        Map<String, StampRows.Row> rows = stamps.lock(connection, target.table(), tenants(first));
        Map<String, Map<StampedMerge.Change, Request>> writers = new LinkedHashMap<>();
        for (Request request : requests) {
            if (fenced(request, rows.get(request.rowKey()), results)) {
                writers.computeIfAbsent(request.rowKey(), k -> new IdentityHashMap<>()).put(new StampedMerge.Change(
                        request.stamp(), request.update().fields(), request.update().setOnce(), request.update().tombstone(),
                        request.force()), request);
            }
        }
        Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
        writers.forEach((key, changes) -> {
            StampRows.Row row = rows.get(key);
            StampedMerge.Plan plan = StampedMerge.plan(row.stamps, List.copyOf(changes.keySet()));
            plan.outcomes().forEach((change, outcome) -> results.put(changes.get(change), outcome));
            // a column a delete ended is emptied
            Map<String, Object> columns = new LinkedHashMap<>(plan.set());
            plan.unset().forEach(column -> columns.put(column, null));
            pending.put(key, columns);
            if (plan.writes()) {
                row.stamps.clear();
                row.stamps.putAll(plan.stamps());
                row.changed = true;
            }
        });
        Set<String> abandoned = new HashSet<>();
        for (Map.Entry<String, Map<String, Object>> row : pending.entrySet()) {
            if (rows.get(row.getKey()).created || !row.getValue().isEmpty()) {
                // the row's tenant, which every writer of it passed the fence with: not the batch's first event for
                // the key, which may be another tenant's (refused above) and would fence out the owner's own changes
                if (upsertRow(connection, target, row.getKey(), rows.get(row.getKey()).tenantId, row.getValue()) == 0) {
                    abandoned.add(row.getKey());
                    writers.get(row.getKey()).values().forEach(r -> results.put(r, tenantMismatch(r, "its row in " + target.table())));
                }
            }
        }
        stamps.save(connection, target.table(), rows, abandoned);
    }

    /** A set of rows replaced as a whole by the newest event: members it lacks are deleted, new ones inserted. */
    void replaceSets(Connection connection, Target target, List<Request> requests, Map<Request, Object> results)
            throws SQLException {
        Map<String, CanonicalEvent> first = new LinkedHashMap<>();
        requests.forEach(r -> first.putIfAbsent(r.rowKey(), r.event()));
        Map<String, StampRows.Row> rows = stamps.lock(connection, target.table(), tenants(first));
        Map<String, List<Request>> byKey = new LinkedHashMap<>();
        for (Request request : requests.stream().sorted(BY_STAMP).toList()) {
            if (fenced(request, rows.get(request.rowKey()), results)) {
                byKey.computeIfAbsent(request.rowKey(), k -> new ArrayList<>()).add(request);
            }
        }
        for (Map.Entry<String, List<Request>> set : byKey.entrySet()) {
            StampRows.Row row = rows.get(set.getKey());
            Request newest = set.getValue().get(set.getValue().size() - 1);
            String stored = row.stamps.get("*");
            int order = stored == null ? 1 : newest.stamp().value().compareTo(stored);
            if (order > 0 || (order == 0 && newest.force())) {
                replace(connection, target, newest);
                row.stamps.put("*", newest.stamp().value());
                row.changed = true;
            }
            String applied = row.stamps.get("*");
            set.getValue().forEach(r -> results.put(r, r.stamp().value().equals(applied) ? Outcome.PROCESSED : Outcome.STALE));
        }
        stamps.save(connection, target.table(), rows, Set.of());
    }

    private static void replace(Connection connection, Target target, Request request) throws SQLException {
        Map<String, Object> fields = request.update().fields();
        if (!(fields.get(target.member()) instanceof List<?> members)) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "event " + request.event().id() + " gives "
                    + target.member() + " as " + fields.get(target.member()) + ", not a list: the set it replaces");
        }
        String table = Sql.identifier(target.table(), "table");
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where "
                + request.ownerFilter() + " and not (" + Sql.identifier(target.member(), "member column")
                + "::text = any (?))")) {
            int i = request.bindOwner(delete);
            delete.setArray(i, connection.createArrayOf("text", members.stream().map(Object::toString).toArray()));
            delete.executeUpdate();
        }
        List<String> columns = new ArrayList<>(target.key());
        columns.add(target.member());
        columns.add(target.tenantColumn());
        fields.keySet().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
        // a member already there keeps its row as it is (its assigned_at, say)
        try (PreparedStatement insert = connection.prepareStatement(insertSql(table, columns) + " on conflict do nothing")) {
            for (Object member : members) {
                int i = 1;
                for (String column : columns) {
                    Sql.bind(insert, i++, column.equals(target.member()) ? member
                            : column.equals(target.tenantColumn()) ? request.event().tenantId() : fields.get(column));
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static int upsertRow(Connection connection, Target target, String key, String tenantId,
            Map<String, Object> values) throws SQLException {
        String table = Sql.identifier(target.table(), "table");
        String keyColumn = Sql.identifier(target.key().get(0), "key column");
        String tenant = Sql.identifier(target.tenantColumn(), "tenant column");
        // the key and the fence are written from the event, whatever a copied row says of them
        Map<String, Object> written = new LinkedHashMap<>(values);
        written.remove(target.key().get(0));
        written.remove(target.tenantColumn());
        List<String> columns = new ArrayList<>(List.of(target.key().get(0), target.tenantColumn()));
        columns.addAll(written.keySet());
        StringBuilder set = new StringBuilder();
        for (String column : written.isEmpty() ? List.of(target.tenantColumn()) : written.keySet()) {
            String quoted = Sql.identifier(column, "column");
            set.append(set.isEmpty() ? "" : ", ").append(quoted).append(" = excluded.").append(quoted);
        }
        // the tenant fence: a row of another tenant with this key is left alone, and its count of 0 says so
        try (PreparedStatement upsert = connection.prepareStatement(insertSql(table, columns) + " on conflict (" + keyColumn
                + ") do update set " + set + " where " + table + "." + tenant + " = excluded." + tenant)) {
            Sql.bind(upsert, 1, key);
            Sql.bind(upsert, 2, tenantId);
            int i = 3;
            for (Object value : written.values()) {
                Sql.bind(upsert, i++, value);
            }
            return upsert.executeUpdate();
        }
    }

    private static String insertSql(String table, List<String> columns) {
        StringBuilder names = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (String column : columns) {
            names.append(names.isEmpty() ? "" : ", ").append(Sql.identifier(column, "column"));
            marks.append(marks.isEmpty() ? "?" : ", ?");
        }
        return "insert into " + table + " (" + names + ") values (" + marks + ")";
    }

    private static Map<String, String> tenants(Map<String, CanonicalEvent> first) {
        Map<String, String> tenants = new LinkedHashMap<>();
        first.forEach((key, event) -> tenants.put(key, event.tenantId()));
        return tenants;
    }

    private static boolean fenced(Request request, StampRows.Row row, Map<Request, Object> results) {
        if (row.tenantId.equals(request.event().tenantId())) {
            return true;
        }
        results.put(request, tenantMismatch(request, "the row it names"));
        return false;
    }

    private static EventRejectedException tenantMismatch(Request request, String what) {
        return new EventRejectedException(RejectReason.TENANT_MISMATCH, "event " + request.event().id() + " of tenant "
                + request.event().tenantId() + ": " + what + " (" + request.target().table() + "/" + request.rowKey()
                + ") belongs to another tenant");
    }
}
