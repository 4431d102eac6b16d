package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code crm_sync_stamps}: per row of a user's table, its tenant and the stamp of the event that last set each column
 * ({@code *} for a whole set of rows). Rows are locked for the writing transaction, in key order so two instances
 * writing overlapping batches cannot deadlock.
 */
final class StampRows {

    static final String TABLE = "crm_sync_stamps";
    static final String DDL = "create table if not exists " + TABLE + " (table_name text not null, row_key text not null,"
            + " tenant_id text not null, stamps jsonb not null default '{}', updated_at timestamptz not null default now(),"
            + " primary key (table_name, row_key))";

    /** One row's tenant and column stamps, as locked; {@code created} when this transaction inserted it. */
    static final class Row {
        final String tenantId;
        final Map<String, String> stamps;
        final boolean created;
        boolean changed;

        Row(String tenantId, Map<String, String> stamps, boolean created) {
            this.tenantId = tenantId;
            this.stamps = stamps;
            this.created = created;
        }
    }

    private static final TypeReference<Map<String, String>> STAMPS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    StampRows(ObjectMapper json) {
        this.json = json;
    }

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }

    /**
     * Locks the rows of these keys, inserting the missing ones with the tenant given for each.
     *
     * @param tenants row key to the tenant of the first event writing it
     */
    Map<String, Row> lock(Connection connection, String table, Map<String, String> tenants) throws SQLException {
        TreeSet<String> keys = new TreeSet<>(tenants.keySet());
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement("insert into " + TABLE
                + " (table_name, row_key, tenant_id) values (?, ?, ?) on conflict do nothing")) {
            for (String key : keys) {
                insert.setString(1, table);
                insert.setString(2, key);
                insert.setString(3, tenants.get(key));
                insert.addBatch();
            }
            int[] inserted = insert.executeBatch();
            int i = 0;
            for (String key : keys) {
                if (inserted[i++] > 0) {
                    rows.put(key, new Row(tenants.get(key), new HashMap<>(), true));
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("select row_key, tenant_id, stamps::text from " + TABLE
                + " where table_name = ? and row_key = any (?) order by row_key for update")) {
            select.setString(1, table);
            select.setArray(2, connection.createArrayOf("text", keys.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.putIfAbsent(result.getString(1), new Row(result.getString(2), parse(result.getString(3)), false));
                }
            }
        }
        return rows;
    }

    /** Writes the changed rows back; removes the ones this transaction created but nothing was written for. */
    void save(Connection connection, String table, Map<String, Row> rows, Collection<String> abandoned)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("update " + TABLE
                + " set stamps = ?::jsonb, updated_at = now() where table_name = ? and row_key = ?")) {
            for (Map.Entry<String, Row> row : rows.entrySet()) {
                if (row.getValue().changed && !abandoned.contains(row.getKey())) {
                    update.setString(1, json.writeValueAsString(row.getValue().stamps));
                    update.setString(2, table);
                    update.setString(3, row.getKey());
                    update.addBatch();
                }
            }
            update.executeBatch();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<String> orphans = abandoned.stream().filter(key -> rows.containsKey(key) && rows.get(key).created).toList();
        if (!orphans.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement("delete from " + TABLE
                    + " where table_name = ? and row_key = any (?)")) {
                delete.setString(1, table);
                delete.setArray(2, connection.createArrayOf("text", orphans.toArray()));
                delete.executeUpdate();
            }
        }
    }

    /** The stamps of one row, unlocked: for verify. Null when crm-sync never wrote the row. */
    Row read(Connection connection, String table, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select tenant_id, stamps::text from " + TABLE
                + " where table_name = ? and row_key = ?")) {
            select.setString(1, table);
            select.setString(2, key);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? new Row(result.getString(1), parse(result.getString(2)), false) : null;
            }
        }
    }

    private Map<String, String> parse(String stamps) {
        try {
            return new HashMap<>(json.readValue(stamps, STAMPS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(TABLE + " holds stamps that are not a JSON object of strings: " + stamps, e);
        }
    }
}
