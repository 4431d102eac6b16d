package io.crmsync.sources.debezium;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether each captured table is ready to be captured: it exists, it is in the publication (once the connector has
 * made it), and it has REPLICA IDENTITY FULL, without which a delete carries only the row's key and not its tenant.
 * Each problem comes with the statement that fixes it.
 */
final class CdcTables {

    private static final String QUERY = "select c.relreplident, "
            + "exists (select 1 from pg_publication where pubname = ?), "
            + "exists (select 1 from pg_publication_tables t where t.pubname = ? and t.schemaname = n.nspname "
            + "and t.tablename = c.relname) "
            + "from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?";

    private CdcTables() {
    }

    /**
     * @param tables {@code schema.table} (or {@code table}, in {@code public}), as {@code crm.cdc.tables} lists them
     * @return each table to what is wrong with it and how to fix it, or {@code ok}; in the order given
     */
    static Map<String, String> check(Connection connection, List<String> tables, String publication) throws SQLException {
        Map<String, String> report = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(QUERY)) {
            for (String table : tables) {
                String qualified = table.trim();
                int dot = qualified.indexOf('.');
                select.setString(1, publication);
                select.setString(2, publication);
                select.setString(3, dot < 0 ? "public" : qualified.substring(0, dot));
                select.setString(4, dot < 0 ? qualified : qualified.substring(dot + 1));
                try (ResultSet row = select.executeQuery()) {
                    report.put(qualified, !row.next() ? "does not exist: create it, or take it out of crm.cdc.tables"
                            : !"f".equals(row.getString(1)) ? "has REPLICA IDENTITY " + identity(row.getString(1))
                                    + ", so a delete carries only its key: ALTER TABLE " + qualified + " REPLICA IDENTITY FULL;"
                            // the connector makes the publication with its tables: none yet means it has not started
                            : row.getBoolean(2) && !row.getBoolean(3) ? "is not in publication " + publication
                                    + ": ALTER PUBLICATION " + publication + " ADD TABLE " + qualified + ";"
                            : "ok");
                }
            }
        }
        return report;
    }

    private static String identity(String code) {
        return switch (code) {
            case "d" -> "DEFAULT";
            case "n" -> "NOTHING";
            case "i" -> "USING INDEX";
            default -> code;
        };
    }
}
