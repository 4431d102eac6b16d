package io.crmsync.stores.postgres;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.store.StoreEndpoint;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the exchange's canonical event to one table, as the named mapping says: {@code
 * crm-postgres:purchases?mapping=purchase}, or, replacing a set of rows, {@code
 * crm-postgres:agent_lead_sources?mapping=agent-lead-sources&write=set&key=agent_id&member=lead_source}.
 */
@UriEndpoint(firstVersion = "0.3.0", scheme = CrmPostgresComponent.SCHEME, title = "crm-sync PostgreSQL store",
        syntax = "crm-postgres:table", producerOnly = true, category = { Category.DATABASE })
public class CrmPostgresEndpoint extends StoreEndpoint<TableWrites.Request> {

    private static final Logger LOG = LoggerFactory.getLogger(CrmPostgresEndpoint.class);

    /** The write kinds: column-wise convergent upserts of one row, or a set of rows replaced as a whole. */
    public enum WriteKind { upsert, set }

    @UriPath(description = "The table written, in the connection's schema (the user's; crm-sync never creates it)")
    @Metadata(required = true)
    private String table;
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

    @Override
    protected void checkOptions() {
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
    }

    @Override
    public void check(Mapping declared) {
        if (declared.ledger() != null) {
            throw new IllegalArgumentException("mapping '" + declared.id() + "' (" + declared.origin() + ") has a "
                    + "ledger: section; the credit ledger is a crm-mongodb write");
        }
        if (declared.fields().stream().anyMatch(f -> f.name().equals(tenantColumn))) {
            throw new IllegalArgumentException("mapping '" + declared.id() + "' sets " + tenantColumn + ", the tenant "
                    + "fence: crm-sync writes it from the event's tenant");
        }
    }

    @Override
    protected boolean mappingRequired() {
        return true;
    }

    /** The table against the mapping, when a route starts; put off (its events waiting) while PostgreSQL is away. */
    @Override
    protected void checkInStore() throws java.sql.SQLException {
        PostgresStore store = getComponent().getStore();
        if (store == null) {
            return;
        }
        try {
            TableSchema.check(store.dataSource(), tableTarget(), mapping());
        } catch (java.sql.SQLException e) {
            if (!PostgresStore.isTransient(e)) {
                throw e;
            }
            // the database is away: the route starts, its events wait pending, and the check runs once it answers
            LOG.warn("Cannot check table {} of {} now ({}): PostgreSQL is unreachable; checked once it answers",
                    table, getEndpointUri(), e.getMessage());
            store.deferCheck(table, () -> TableSchema.check(store.dataSource(), tableTarget(), mapping()));
        }
    }

    private Mapping mapping() {
        Mapping declared = mappings().get(getMapping());
        if (declared == null) {
            throw new IllegalStateException("mapping '" + getMapping() + "' is no longer declared");
        }
        return declared;
    }

    @Override
    public Mapping.Target target() {
        return new Mapping.Target(table);
    }

    @Override
    public PostgresDirectory directory() {
        return store().directory(tableTarget());
    }

    @Override
    public TableWrites.Request plan(CanonicalEvent event, Write write, boolean repair) {
        TableWrites.Request request = new TableWrites.Request(tableTarget(), event, (Write.FieldUpdate) write, repair);
        validate(request);
        return request;
    }

    /** Refused before the transaction, so one event's bad value never rolls back the others of its batch. */
    private static void validate(TableWrites.Request request) {
        request.rowKey();
        for (String column : request.update().fields().keySet()) {
            try {
                Sql.identifier(column, "column");
            } catch (IllegalArgumentException e) {
                // a copied field PostgreSQL has no column for: this event alone is refused
                throw new EventRejectedException(RejectReason.INVALID_FIELD, "event " + request.event().id() + " writes "
                        + e.getMessage() + " into " + request.target().table());
            }
        }
        Target target = request.target();
        if (target.isSet() && !(request.update().fields().get(target.member()) instanceof List)) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "event " + request.event().id() + " ("
                    + request.event().type() + ") gives " + target.member() + " as "
                    + request.update().fields().get(target.member()) + ": not a list of the set's members");
        }
    }

    @Override
    public String location(TableWrites.Request planned) {
        return "postgresql:" + table + "/" + planned.rowKey();
    }

    @Override
    public CompletionStage<Outcome> submit(TableWrites.Request planned) {
        return store().submit(planned);
    }

    @Override
    public Verdict verify(TableWrites.Request planned) {
        PostgresStore store = store();
        return new RowVerifier(store.dataSource(), store.stamps(), planned).verify();
    }

    /** Without a database its endpoints are still made, so routes validate; an event reaching one fails. */
    private PostgresStore store() {
        PostgresStore store = getComponent().getStore();
        if (store == null) {
            throw new IllegalStateException(getEndpointUri() + " has no database: set crm.postgres.url "
                    + "(LEADS_DATABASE_URL)");
        }
        return store;
    }

    Target tableTarget() {
        return new Target(table, keyColumns(), write == WriteKind.set ? member : null, tenantColumn);
    }

    private List<String> keyColumns() {
        return Arrays.stream(key.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
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
