package io.crmsync.stores.postgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.crmsync.core.write.StampedMerge;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Verdict;

/**
 * {@code verify} for one planned table write: is the row (or set) there, and does it still hold what the newest event
 * that set it wrote? A column or set a newer event has since set counts as up to date.
 */
record RowVerifier(DataSource dataSource, StampRows stamps, TableWrites.Request request) {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    Verdict verify() {
        Target target = request.target();
        String location = target.table() + "/" + request.rowKey();
        try (Connection connection = dataSource.getConnection()) {
            StampRows.Row row = stamps.read(connection, target.table(), request.rowKey());
            if (row == null) {
                return new Verdict(Verdict.State.MISSING, location, List.of());
            }
            String stamp = request.stamp().value();
            return target.isSet() ? set(connection, location, row, stamp) : columns(connection, location, row, stamp);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot verify " + location + ": " + e.getMessage(), e);
        }
    }

    private Verdict set(Connection connection, String location, StampRows.Row row, String stamp) throws SQLException {
        int order = stamp.compareTo(row.stamps.getOrDefault("*", ""));
        if (order != 0) {
            return order < 0 ? new Verdict(Verdict.State.UP_TO_DATE, location, List.of())
                    : new Verdict(Verdict.State.OLDER, location, List.of(request.target().member()));
        }
        Target target = request.target();
        Set<String> stored = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement("select " + Sql.identifier(target.member(), "member")
                + "::text from " + Sql.identifier(target.table(), "table") + " where " + request.ownerFilter())) {
            request.bindOwner(select);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        Set<String> sent = new TreeSet<>();
        ((List<?>) request.update().fields().get(target.member())).forEach(m -> sent.add(m.toString()));
        if (stored.equals(sent)) {
            return new Verdict(Verdict.State.UP_TO_DATE, location, List.of());
        }
        List<String> differences = new ArrayList<>();
        sent.stream().filter(m -> !stored.contains(m)).forEach(m -> differences.add("missing " + m));
        stored.stream().filter(m -> !sent.contains(m)).forEach(m -> differences.add("extra " + m));
        return new Verdict(Verdict.State.DIFFERS, location, differences);
    }

    private Verdict columns(Connection connection, String location, StampRows.Row row, String stamp) throws SQLException {
        Target target = request.target();
        Map<String, Object> current;
        try (PreparedStatement select = connection.prepareStatement("select * from " + Sql.identifier(target.table(), "table")
                + " where " + Sql.identifier(target.key().get(0), "key") + " = ? and "
                + Sql.identifier(target.tenantColumn(), "tenant column") + " = ?")) {
            Sql.bind(select, 1, request.rowKey());
            select.setString(2, request.event().tenantId());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return new Verdict(Verdict.State.MISSING, location, List.of());
                }
                current = new java.util.HashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    current.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
                }
            }
        }
        List<String> older = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (String column : StampedMerge.verifiable(row.stamps, request.stamp(), request.update().fields().keySet(),
                request.update().tombstone())) {
            Object value = request.update().fields().get(column);
            String applied = row.stamps.get(column);
            int order = applied == null ? 1 : stamp.compareTo(applied);
            if (order > 0) {
                older.add(column);
            } else if (order == 0 && !same(value, current.get(column))) {
                differing.add(column);
            }
        }
        return !older.isEmpty() ? new Verdict(Verdict.State.OLDER, location, older)
                : !differing.isEmpty() ? new Verdict(Verdict.State.DIFFERS, location, differing)
                : new Verdict(Verdict.State.UP_TO_DATE, location, List.of());
    }

    private static boolean same(Object sent, Object stored) {
        if (sent == null || stored == null) {
            return sent == stored;
        }
        if (sent instanceof Map || sent instanceof List) {
            try {
                return JSON.readTree(stored.toString()).equals(JSON.valueToTree(sent));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return false;
            }
        }
        if (stored instanceof Timestamp timestamp) {
            return ValueType.DATE.convert(sent, "value").equals(timestamp.toInstant());
        }
        if (stored instanceof Number number) {
            try {
                return ValueType.decimal(sent).compareTo(new BigDecimal(number.toString())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return sent.toString().equals(stored.toString());
    }
}
