package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.write.Keys;

/**
 * The lookups of a {@code crm-postgres:} endpoint's mappings: a row of a table of the same database, within the tenant
 * (its {@code tenant_id} column), and the tenant of a row of the endpoint's own table that a delete names by key alone.
 * Not cached: a lookup that missed must see the row as soon as it exists.
 */
final class PostgresDirectory implements Directory {

    private final DataSource dataSource;
    private final Target own;
    private final String tenantColumn;

    PostgresDirectory(DataSource dataSource, Target own) {
        this.dataSource = dataSource;
        this.own = own;
        this.tenantColumn = own.tenantColumn();
    }

    @Override
    public Map<String, Object> find(String tenantId, String table, Map<String, Object> match) {
        String sql = "select * from " + Sql.identifier(table, "lookup table") + " where " + where(match) + " limit 2";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            bindWhere(select, tenantId, match);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                ResultSetMetaData columns = rows.getMetaData();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.put(columns.getColumnName(i), rows.getObject(i));
                }
                if (rows.next()) {
                    throw new EventRejectedException(RejectReason.INVALID_FIELD, "more than one " + table + " row with "
                            + match + " in tenant " + tenantId + ": a lookup must name one");
                }
                return row;
            }
        } catch (SQLException e) {
            throw new LookupFailedException("lookup in " + table + " with " + match + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void relink(String tenantId, String table, Map<String, Object> where, Map<String, Object> values) {
        StringBuilder set = new StringBuilder();
        values.keySet().forEach(column -> set.append(set.isEmpty() ? "" : ", ").append(Sql.identifier(column, "column"))
                .append(" = ?"));
        String sql = "update " + Sql.identifier(table, "lookup table") + " set " + set + " where " + where(where);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            for (Object value : values.values()) {
                Sql.bind(update, i++, value);
            }
            bindWhere(update, i, tenantId, where);
            int changed = update.executeUpdate();
            if (changed != 1) {
                throw new IllegalStateException("relinking " + table + " with " + where + " in tenant " + tenantId
                        + " changed " + changed + " rows, not 1");
            }
        } catch (SQLException e) {
            throw new LookupFailedException("relinking " + table + " with " + where + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The tenant of the endpoint's row (or set of rows) under {@code key}, whatever tenant. The key is the mapping's
     * ({@code Write.FieldUpdate.id()}): the key column's value, or the key columns' values joined ({@link Keys}) in
     * their order. Null when no row has it, or when the store cannot tell: another table, another number of parts, a
     * value the column's type refuses (no row can have it), or rows of two tenants (a set's owner in each).
     */
    @Override
    public String tenantOf(String table, String key) {
        List<String> columns = own.key();
        List<String> parts = columns.size() == 1 ? List.of(key) : Keys.split(key);
        if (!own.table().equals(table) || parts.size() != columns.size()) {
            return null;
        }
        StringBuilder where = new StringBuilder();
        columns.forEach(column -> where.append(where.isEmpty() ? "" : " and ")
                .append(Sql.identifier(column, "key column")).append(" = ?"));
        String sql = "select distinct " + Sql.identifier(tenantColumn, "tenant column") + " from "
                + Sql.identifier(table, "table") + " where " + where + " limit 2";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parts.size(); i++) {
                Sql.bind(select, i + 1, parts.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                String tenant = rows.getString(1);
                return rows.next() ? null : tenant;
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                return null; // a data exception: the key cannot be a value of the column, so no row has it
            }
            throw new LookupFailedException("finding the tenant of " + table + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    private String where(Map<String, Object> match) {
        StringBuilder where = new StringBuilder(Sql.identifier(tenantColumn, "tenant column")).append(" = ?");
        match.keySet().forEach(column -> where.append(" and ").append(Sql.identifier(column, "lookup column")).append(" = ?"));
        return where.toString();
    }

    private static void bindWhere(PreparedStatement statement, String tenantId, Map<String, Object> match)
            throws SQLException {
        bindWhere(statement, 1, tenantId, match);
    }

    private static void bindWhere(PreparedStatement statement, int first, String tenantId, Map<String, Object> match)
            throws SQLException {
        statement.setString(first, tenantId);
        int i = first + 1;
        for (Object value : match.values()) {
            Sql.bind(statement, i++, value);
        }
    }

    /** A lookup that could not run: PostgreSQL's failure, kept as the cause so a transient one is retried. */
    static final class LookupFailedException extends RuntimeException {
        LookupFailedException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
