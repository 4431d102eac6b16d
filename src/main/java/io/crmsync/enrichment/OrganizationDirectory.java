package io.crmsync.enrichment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Finds a tenant's organization by code or id. Hits are cached for a short time, because a burst of assignments
 * names the same few organizations; misses are not, so a retry sees an organization that has just arrived.
 */
public class OrganizationDirectory {

    /** What an assignment needs of its organization. */
    public record Organization(String id, String name) {
    }

    private record Cached(Organization organization, Instant expires) {
    }

    private final MongoCollection<Document> organizations;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public OrganizationDirectory(MongoCollection<Document> organizations, Duration ttl, Clock clock) {
        this.organizations = organizations;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Organization byCode(String tenantId, String orgCode) {
        return find("code", tenantId, orgCode, Filters.eq("orgCode", orgCode));
    }

    public Organization byId(String tenantId, String organizationId) {
        return find("id", tenantId, organizationId, Filters.eq("_id", organizationId));
    }

    private Organization find(String kind, String tenantId, String key, Bson match) {
        String cacheKey = tenantId + "\0" + kind + "\0" + key;
        Instant now = clock.instant();
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.organization();
        }
        Document found = organizations.find(Filters.and(Filters.eq("tenantId", tenantId), match,
                Filters.ne("deleted", true))).first();
        if (found == null) {
            cache.remove(cacheKey);
            throw new OrganizationNotFoundException("no organization with " + kind + " '" + key + "' in tenant " + tenantId);
        }
        Organization organization = new Organization(String.valueOf(found.get("_id")), found.getString("name"));
        if (cache.size() > 10_000) {
            cache.clear(); // a crude bound: the working set is small, and a flush only costs lookups
        }
        cache.put(cacheKey, new Cached(organization, now.plus(ttl)));
        return organization;
    }
}
