package io.crmsync.stores.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Write;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A delete in a table follows the same rule as in a document: it ends what came before it, and a newer change brings the row back. */
class TableTombstonesIT {

    private static final Target OFFERS = new Target("offers", List.of("id"), null, "tenant_id");
    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    private static ScratchDatabase database;
    private static HikariDataSource dataSource;
    private final TableWrites writes = new TableWrites(new StampRows(new ObjectMapper()));

    @BeforeAll
    static void database() throws Exception {
        database = ScratchDatabase.start(
                "create table offers (id text primary key, tenant_id text, title text, deleted boolean)",
                "create table strict_offers (id text primary key, tenant_id text, title text not null, deleted boolean)",
                StampRows.DDL);
        dataSource = database.dataSource();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void a_delete_empties_what_older_changes_wrote_and_a_late_older_change_writes_nothing() throws Exception {
        write("o1", 1, false, Map.of("title", "Spring sale"));
        write("o1", 3, true, Map.of("deleted", true));

        Object late = write("o1", 2, false, Map.of("title", "Late"));

        assertThat(late).isEqualTo(Outcome.STALE);
        assertThat(row("o1")).containsEntry("deleted", true).containsEntry("title", null);
    }

    @Test
    void a_change_newer_than_the_delete_brings_the_row_back() throws Exception {
        write("o2", 3, true, Map.of("deleted", true));

        write("o2", 4, false, Map.of("title", "Back"));

        assertThat(row("o2")).containsEntry("deleted", null).containsEntry("title", "Back");
    }

    @Test
    void a_deleting_mapping_on_a_table_whose_written_columns_refuse_null_does_not_start() {
        var mapping = new MappingParser(new DefaultCamelContext()).parse("m.mapping.yaml", """
                mappings:
                  m:
                    key: id
                    tombstone: {deleted: true}
                    fields:
                      title: title
                """).mappings().get(0);

        assertThatThrownBy(() -> TableSchema.check(dataSource, new Target("strict_offers", List.of("id"), null, "tenant_id"), mapping))
                .hasMessageContaining("column title must then allow null");
    }

    private Object write(String id, int second, boolean delete, Map<String, Object> fields) throws Exception {
        CanonicalEvent event = new CanonicalEvent("e-" + id + "-" + second, delete ? "offer.deleted" : "offer.updated", "acme",
                null, id, T.plusSeconds(second), new LinkedHashMap<>(fields), Map.of(), "test", id + "-" + second, Map.of());
        TableWrites.Request request = new TableWrites.Request(OFFERS, event,
                new Write.FieldUpdate("offers", id, new LinkedHashMap<>(fields), Set.of(), delete), false);
        Map<TableWrites.Request, Object> results = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            writes.upsert(connection, OFFERS, List.of(request), results);
            connection.commit();
        }
        return results.get(request);
    }

    private Map<String, Object> row(String id) throws Exception {
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("select * from offers where id = '" + id + "'")) {
            assertThat(rows.next()).isTrue();
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                row.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
            }
            return row;
        }
    }
}
