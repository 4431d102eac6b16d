package io.crmsync.stores.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.write.Keys;
import io.crmsync.core.write.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delete of a captured table without REPLICA IDENTITY FULL carries its key and no tenant: in a table, as in a
 * collection, it is a tombstone of the tenant of the row it names, and it is dead-lettered only when no row gives one.
 */
class TenantlessDeletesIT {

    private static final Logger LOG = LoggerFactory.getLogger(TenantlessDeletesIT.class);
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private static ScratchDatabase database;
    private static ExecutorService completions;
    private static PostgresStore store;
    private static DefaultCamelContext camel;

    @BeforeAll
    static void start() throws Exception {
        database = ScratchDatabase.start(
                "create table offers (id text primary key, tenant_id text not null, title text, deleted boolean)",
                "create table offer_tags (shop_id text, offer_id text, tag text, tenant_id text not null, "
                        + "primary key (shop_id, offer_id, tag))");
        completions = Executors.newSingleThreadExecutor();
        store = new PostgresStore(database.dataSource(), new ObjectMapper(), 100, completions);
        camel = new DefaultCamelContext();
        MappingParser.Result parsed = new MappingParser(camel).parse("offers.mapping.yaml", """
                mappings:
                  offer:
                    key: id
                    fields:
                      title: title
                  offer-deleted:
                    key: id
                    tombstone: {deleted: true}
                """);
        assertThat(parsed.issues()).isEmpty();
        Mappings mappings = new Mappings();
        mappings.replace("offers.mapping.yaml", "1", parsed.mappings());
        camel.addComponent("crm-postgres", new CrmPostgresComponent(mappings, store));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:offers").to("crm-postgres:offers?mapping=offer");
                from("direct:offer-deletes").to("crm-postgres:offers?mapping=offer-deleted");
            }
        });
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        store.close();
        completions.shutdownNow();
        database.close();
    }

    @Test
    void a_delete_naming_no_tenant_is_a_tombstone_of_the_tenant_of_the_row_it_names() throws Exception {
        assertThat(send("direct:offers", event("e-1", "acme", 1, Map.of("id", "o-1", "title", "Spring sale")))
                .getException()).isNull();

        Exchange deleted = send("direct:offer-deletes", event("e-2", null, 2, Map.of("id", "o-1")));

        assertThat(deleted.getException()).isNull();
        assertThat(deleted.getMessage().getHeader(EventExchange.OUTCOME)).isEqualTo(Outcome.PROCESSED);
        assertThat(rows("select tenant_id, title, deleted from offers where id = 'o-1'"))
                .containsExactly(row("tenant_id", "acme", "title", null, "deleted", true));
    }

    @Test
    void the_tenant_of_a_key_of_two_columns_is_found_from_the_mappings_key_joining_them() throws Exception {
        execute("insert into offer_tags values ('s:1', 'o-2', 'new', 'acme'), ('s:1', 'o-2', 'sale', 'acme'), "
                + "('s:1', 'o-3', 'new', 'acme'), ('s:1', 'o-3', 'sale', 'globex')");
        PostgresDirectory tags = store.directory(new Target("offer_tags", List.of("shop_id", "offer_id"), "tag",
                "tenant_id"));

        assertThat(tags.tenantOf("offer_tags", Keys.join("s:1", "o-2"))).isEqualTo("acme");
        assertThat(tags.tenantOf("offer_tags", Keys.join("s:1", "o-9"))).isNull();
        // two tenants' rows under one key: which tenant the delete was is unknown, so it is refused
        assertThat(tags.tenantOf("offer_tags", Keys.join("s:1", "o-3"))).isNull();
    }

    @Test
    void a_delete_naming_no_tenant_and_no_row_is_dead_lettered_as_missing_field_saying_what_to_run() throws Exception {
        LOG.info("Expect a refusal missing-field next: a delete names no tenant and no row of offers gives it one");

        Exchange deleted = send("direct:offer-deletes", event("e-4", null, 4, Map.of("id", "o-none")));

        assertThat(deleted.getException()).isInstanceOfSatisfying(EventRejectedException.class,
                e -> assertThat(e.reason().code()).isEqualTo("missing-field"))
                .hasMessageContaining("ALTER TABLE ... REPLICA IDENTITY FULL");
        assertThat(rows("select id from offers where id = 'o-none'")).isEmpty();
    }

    private static Exchange send(String route, CanonicalEvent event) throws Exception {
        return camel.createProducerTemplate().asyncSend(route, exchange -> EventExchange.attach(exchange, event))
                .get(10, TimeUnit.SECONDS);
    }

    /** @param tenant null for a delete whose table lacks REPLICA IDENTITY FULL: its before image is the key alone */
    private static CanonicalEvent event(String id, String tenant, int second, Map<String, Object> data) {
        return new CanonicalEvent(id, "offer.changed", tenant, "offer", null, T.plusSeconds(second),
                new LinkedHashMap<>(data), Map.of(), "test", id, Map.of());
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.createStatement().execute(sql);
        }
    }

    private static List<Map<String, Object>> rows(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<Map<String, Object>> found = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
                }
                found.add(row);
            }
            return found;
        }
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }
}
