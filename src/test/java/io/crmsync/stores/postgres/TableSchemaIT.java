package io.crmsync.stores.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.MappingParser;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The user owns the schema: a mapped table or column that does not exist stops the route at start, saying which. */
class TableSchemaIT {

    private static ScratchDatabase database;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void database() throws Exception {
        database = ScratchDatabase.start(
                "create table agents (id bigserial primary key, tenant_id text, firebase_uid text, email text)",
                "create table agent_lead_sources (agent_id bigint, lead_source text, tenant_id text)");
        dataSource = database.dataSource();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void a_column_the_mapping_writes_that_the_table_lacks_is_named_with_the_table() {
        Mapping mapping = mapping("""
                mappings:
                  m:
                    key: agentUid
                    fields:
                      lead_source: {from: leadSources, type: strings}
                      assigned_at: event.time
                """);

        assertThatThrownBy(() -> TableSchema.check(dataSource, target("agent_lead_sources"), mapping))
                .hasMessageContaining("column assigned_at of table agent_lead_sources")
                .hasMessageContaining("which has only agent_id, lead_source, tenant_id");
    }

    @Test
    void a_table_that_does_not_exist_is_named_as_such() {
        Mapping mapping = mapping("""
                mappings:
                  m:
                    key: agentUid
                    fields:
                      lead_source: leadSources
                """);

        assertThatThrownBy(() -> TableSchema.check(dataSource, target("agent_sources"), mapping))
                .hasMessageContaining("table agent_sources, which does not exist")
                .hasMessageContaining("crm-sync creates only its own crm_sync_* tables");
    }

    @Test
    void a_lookup_column_the_looked_up_table_lacks_is_named() {
        Mapping mapping = mapping("""
                mappings:
                  m:
                    key: agentUid
                    fields:
                      lead_source: leadSources
                    lookup:
                      - table: agents
                        match: {uid: agentUid}
                        copy: {agent_id: id}
                        missing: agent-not-found
                """);

        assertThatThrownBy(() -> TableSchema.check(dataSource, target("agent_lead_sources"), mapping))
                .hasMessageContaining("looks up column uid of table agents");
    }

    private static Target target(String table) {
        return new Target(table, List.of("agent_id"), "lead_source", "tenant_id");
    }

    private static Mapping mapping(String yaml) {
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            return new MappingParser(camel).parse("test.mapping.yaml", yaml).mappings().get(0);
        } finally {
            camel.stop();
        }
    }
}
