package io.crmsync.stores.postgres;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Identifiers and values as PostgreSQL takes them from crm-sync's mapped events. */
final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sql() {
    }

    /** A table or column name of the user's schema: plain lower-case, so it never needs case-sensitive quoting. */
    static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a plain PostgreSQL name (lower-case "
                    + "letters, digits and _, starting with a letter or _)");
        }
        return "\"" + name + "\"";
    }

    /**
     * Binds a mapped value. Text goes untyped ({@code stringtype=unspecified} on the pool), so PostgreSQL reads it
     * as the column's type: a uuid, a numeric, a timestamptz. Objects and lists become JSON for json/jsonb columns.
     */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        Object bound = value;
        if (value instanceof Date date) {
            bound = OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
        } else if (value instanceof Instant instant) {
            bound = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        } else if (value instanceof Map || value instanceof List) {
            bound = json(value);
        }
        if (bound instanceof BigDecimal || bound instanceof Number || bound instanceof Boolean
                || bound instanceof OffsetDateTime || bound == null) {
            statement.setObject(index, bound);
        } else {
            statement.setString(index, bound.toString());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
