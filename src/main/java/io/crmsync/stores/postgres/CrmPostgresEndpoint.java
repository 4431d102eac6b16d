package io.crmsync.stores.postgres;

import java.util.Arrays;
import java.util.List;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.Mappings;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Writes the exchange's canonical event to one table, as the named mapping says: {@code
 * crm-postgres:purchases?mapping=purchase}, or, replacing a set of rows, {@code
 * crm-postgres:agent_lead_sources?mapping=agent-lead-sources&write=set&key=agent_id&member=lead_source}.
 */
@UriEndpoint(firstVersion = "0.3.0", scheme = CrmPostgresComponent.SCHEME, title = "crm-sync PostgreSQL store",
        syntax = "crm-postgres:table", producerOnly = true, category = { Category.DATABASE })
public class CrmPostgresEndpoint extends DefaultEndpoint {

    /** The write kinds: column-wise convergent upserts of one row, or a set of rows replaced as a whole. */
    public enum WriteKind { upsert, set }

    @UriPath(description = "The table written, in the connection's schema (the user's; crm-sync never creates it)")
    @Metadata(required = true)
    private String table;
    @UriParam(description = "The id of the mapping (in a *.mapping.yaml beside the routes) applied to each event")
    @Metadata(required = true)
    private String mapping;
    @UriParam(defaultValue = "upsert", description = "upsert: each column takes the newest event's value; set: the "
            + "newest event's list replaces the rows of its owner (key) as a whole")
    private WriteKind write = WriteKind.upsert;
    @UriParam(defaultValue = "id", description = "upsert: the primary key column the mapping's key fills; set: the "
            + "comma-separated columns naming the set's owner, filled by the mapping's fields or lookups")
    private String key = "id";
    @UriParam(description = "With write=set: the column each element of the event's list becomes a row of")
    private String member;
    @UriParam(defaultValue = "tenant_id", description = "The column fencing rows (and lookups) to the event's tenant")
    private String tenantColumn = "tenant_id";

    CrmPostgresEndpoint(String uri, CrmPostgresComponent component) {
        super(uri, component);
    }

    /** Refuses what could never write, with the option at fault: this is what validation reports for the route. */
    void check(Mappings mappings) {
        Sql.identifier(table, "table");
        if (table.startsWith("crm_sync_")) {
            throw new IllegalArgumentException("table '" + table + "' is crm-sync's own bookkeeping");
        }
        keyColumns().forEach(column -> Sql.identifier(column, "key column"));
        Sql.identifier(tenantColumn, "tenantColumn");
        if ((write == WriteKind.set) != (member != null)) {
            throw new IllegalArgumentException(write == WriteKind.set ? "write=set needs member: the column each "
                    + "element of the list becomes a row of" : "member is only for write=set");
        }
        if (member != null) {
            Sql.identifier(member, "member column");
        }
        if (write == WriteKind.upsert && keyColumns().size() != 1) {
            throw new IllegalArgumentException("an upsert's key is one column, the one the mapping's key fills");
        }
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("mapping is required: the id of a mapping in a *.mapping.yaml");
        }
        Mapping declared = mappings.get(mapping);
        if (declared == null) {
            throw new IllegalArgumentException("no mapping '" + mapping + "' in any *.mapping.yaml" + mappings.suggestion(mapping));
        }
        if (declared.ledger() != null) {
            throw new IllegalArgumentException("mapping '" + mapping + "' (" + declared.origin() + ") has a ledger: "
                    + "section; the credit ledger is a crm-mongodb write (write=ledger)");
        }
        if (declared.fields().stream().anyMatch(f -> f.name().equals(tenantColumn))) {
            throw new IllegalArgumentException("mapping '" + mapping + "' sets " + tenantColumn + ", the tenant fence: "
                    + "crm-sync writes it from the event's tenant");
        }
    }

    Target target() {
        return new Target(table, keyColumns(), write == WriteKind.set ? member : null, tenantColumn);
    }

    private List<String> keyColumns() {
        return Arrays.stream(key.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public Producer createProducer() {
        return new CrmPostgresProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("crm-postgres is a store: it writes (to:), it cannot be consumed (from:)");
    }

    @Override
    public CrmPostgresComponent getComponent() {
        return (CrmPostgresComponent) super.getComponent();
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getMapping() {
        return mapping;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public WriteKind getWrite() {
        return write;
    }

    public void setWrite(WriteKind write) {
        this.write = write;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getMember() {
        return member;
    }

    public void setMember(String member) {
        this.member = member;
    }

    public String getTenantColumn() {
        return tenantColumn;
    }

    public void setTenantColumn(String tenantColumn) {
        this.tenantColumn = tenantColumn;
    }
}
