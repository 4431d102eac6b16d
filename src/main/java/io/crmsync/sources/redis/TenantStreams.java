package io.crmsync.sources.redis;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@code credit-events:{tenantId}} route per active tenant (CONTRACT.md section 1), so a newly active
 * tenant's stream is consumed within one refresh interval and a deactivated tenant's stops, without a restart.
 */
public class TenantStreams {

    // the source route shape every stream route is made from (routes/common.camel.yaml)
    static final String TEMPLATE = "redis-stream-source";
    static final String ROUTE_PREFIX = "tenant-credit-events-";
    private static final Logger LOG = LoggerFactory.getLogger(TenantStreams.class);
    // a tenant id becomes part of a stream key and a route id: anything else is refused, not escaped
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    private final CamelContext camel;
    private final MongoCollection<Document> tenants;
    private final String group;
    private final BooleanSupplier mongoAnswered;

    public TenantStreams(CamelContext camel, MongoCollection<Document> tenants, String group) {
        this(camel, tenants, group, () -> true);
    }

    /**
     * @param mongoAnswered whether MongoDB has answered since the start: until then a refresh does nothing, rather than
     *                      hold the timer's thread for the driver's 30 s and log a failure every interval
     */
    public TenantStreams(CamelContext camel, MongoCollection<Document> tenants, String group,
            BooleanSupplier mongoAnswered) {
        this.camel = camel;
        this.tenants = tenants;
        this.group = group;
        this.mongoAnswered = mongoAnswered;
    }

    public void refresh() throws Exception {
        if (!mongoAnswered.getAsBoolean()) {
            return;
        }
        Set<String> active = activeTenants();
        Set<String> running = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            if (route.getRouteId().startsWith(ROUTE_PREFIX)) {
                running.add(route.getRouteId().substring(ROUTE_PREFIX.length()));
            }
        }
        for (String tenant : active) {
            if (!running.contains(tenant)) {
                TemplatedRouteBuilder.builder(camel, TEMPLATE)
                        .routeId(ROUTE_PREFIX + tenant)
                        .parameter("streams", streamOf(tenant))
                        .parameter("group", group)
                        .add();
                LOG.info("Consuming credit-events:{} (group {}): tenant is active", tenant, group);
            }
        }
        for (String tenant : running) {
            if (!active.contains(tenant)) {
                // stopRoute lets in-flight exchanges finish, so their entries are acked before the route goes
                camel.getRouteController().stopRoute(ROUTE_PREFIX + tenant);
                camel.removeRoute(ROUTE_PREFIX + tenant);
                LOG.info("Stopped consuming credit-events:{}: tenant is no longer active", tenant);
            }
        }
    }

    /**
     * The credit-events stream of each active tenant, as {@link #refresh()} consumes them: for {@code status}, which
     * runs no route. A tenant id that cannot name a stream is left out (the service logs it).
     */
    public static Set<String> activeStreams(MongoCollection<Document> tenants) {
        Set<String> streams = new java.util.LinkedHashSet<>();
        activeTenants(tenants, unsafe -> {
        }).forEach(tenant -> streams.add(streamOf(tenant)));
        return streams;
    }

    private static String streamOf(String tenant) {
        return "credit-events:" + tenant;
    }

    private Set<String> activeTenants() {
        return activeTenants(tenants, text -> LOG.warn("Tenant id '{}' in {} cannot name a stream: its credit-events "
                + "stream is not consumed", text.length() > 64 ? text.substring(0, 64) + "..." : text,
                tenants.getNamespace().getCollectionName()));
    }

    /** The ids of the active tenants that can name a stream; each one that cannot goes to {@code unsafe}. */
    private static Set<String> activeTenants(MongoCollection<Document> tenants, java.util.function.Consumer<String> unsafe) {
        Set<String> active = new java.util.LinkedHashSet<>();
        for (Document tenant : tenants.find(Filters.eq("status", "active"))) {
            String text = String.valueOf(tenant.get("tenantId") != null ? tenant.get("tenantId") : tenant.get("_id"));
            if (SAFE_ID.matcher(text).matches()) {
                active.add(text);
            } else {
                unsafe.accept(text);
            }
        }
        return active;
    }
}
