package io.crmsync.stores.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.write.StampedMerge;

/**
 * The user owns the schema: at start-up each endpoint's table, and the columns its mapping writes and looks up, must
 * exist, or the route does not start and says which is missing. A mapping that copies all of an event's data cannot
 * be checked here; PostgreSQL refuses an unknown column at write time, for that event alone.
 */
final class TableSchema {

    private TableSchema() {
    }

    static void check(DataSource dataSource, Target target, Mapping mapping) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Set<String> written = new LinkedHashSet<>(target.key());
            if (target.member() != null) {
                written.add(target.member());
            }
            written.add(target.tenantColumn());
            mapping.fields().forEach(field -> written.add(field.name()));
            written.addAll(mapping.tombstone().keySet());
            mapping.lookups().forEach(lookup -> written.addAll(lookup.copy().keySet()));
            if (!mapping.tombstone().isEmpty()) {
                written.add(StampedMerge.DELETED);
            }
            Set<String> required = require(connection, target.table(), written, "mapping " + mapping.id() + " ("
                    + mapping.origin() + ") writes");
            if (!mapping.tombstone().isEmpty()) {
                // a delete empties what events before it wrote, whichever mapping wrote it, and a newer event removes
                // the mark: every column but the key and the tenant may be emptied
                List<String> notNull = required.stream()
                        .filter(c -> !target.key().contains(c) && !c.equals(target.tenantColumn())).toList();
                if (!notNull.isEmpty()) {
                    throw new IllegalStateException("mapping " + mapping.id() + " (" + mapping.origin() + ") deletes rows of "
                            + target.table() + ", whose column" + (notNull.size() > 1 ? "s " : " ") + String.join(", ", notNull)
                            + " must then allow null: a delete empties the columns earlier events wrote");
                }
            }
            for (Mapping.Lookup lookup : mapping.lookups()) {
                Set<String> read = new LinkedHashSet<>(lookup.match().keySet());
                read.add(target.tenantColumn());
                read.addAll(lookup.copy().values());
                if (lookup.mismatch() != null) {
                    read.addAll(lookup.mismatch().match().keySet());
                }
                require(connection, lookup.collection(), read, "mapping " + mapping.id() + " (" + mapping.origin()
                        + ") looks up");
            }
        }
    }

    /** Checks the columns exist; returns the table's columns that refuse null. */
    private static Set<String> require(Connection connection, String table, Set<String> columns, String who)
            throws SQLException {
        Set<String> present = new TreeSet<>();
        Set<String> notNull = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement("select column_name, is_nullable from "
                + "information_schema.columns where table_schema = current_schema() and table_name = ?")) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                    if ("NO".equals(rows.getString(2))) {
                        notNull.add(rows.getString(1));
                    }
                }
            }
        }
        if (present.isEmpty()) {
            throw new IllegalStateException(who + " table " + table + ", which does not exist in schema "
                    + connection.getSchema() + " of " + connection.getMetaData().getURL()
                    + " (crm-sync creates only its own crm_sync_* tables)");
        }
        List<String> missing = columns.stream().filter(c -> !present.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(who + " column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " of table " + table + ", which has only " + String.join(", ", present));
        }
        return notNull;
    }
}
