package io.crmsync.demo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;

/**
 * One sample of each stream and message shape of CONTRACT.md, plus one malformed event, as the wrapper would
 * publish them.
 */
final class SampleEvents {

    static final String TENANT = "acme";

    /** A published entry: its stream and entry id. */
    record Published(String stream, String entryId) {
    }

    private SampleEvents() {
    }

    static List<Published> publish(RedisCommands<String, String> redis) {
        String now = Instant.now().toString();
        List<Published> published = new java.util.ArrayList<>();
        published.add(add(redis, "crm:sync:user:user_created", flat("user_created", "user", "u-100", now,
                "{\"email\":\"ada@acme.test\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}")));
        published.add(add(redis, "crm:sync:organization:org_created", flat("org_created", "organization", "org-1", now,
                "{\"organizationId\":\"org-1\",\"orgCode\":\"ACME-HQ\",\"name\":\"Acme HQ\",\"parentId\":null}")));
        published.add(add(redis, "crm:sync:role:role_created", fields("event", "{\"eventId\":\"evt-role-1\","
                + "\"eventType\":\"role.created\",\"source\":\"wrapper\",\"version\":\"1.0\",\"timestamp\":\"" + now + "\","
                + "\"tenantId\":\"" + TENANT + "\",\"data\":{\"roleId\":\"r-sales\",\"roleName\":\"Sales\","
                + "\"description\":\"Sales team\",\"permissions\":[\"leads:read\",\"leads:write\"]}}")));
        published.add(add(redis, "crm:sync:permissions:role_assigned", flat("role_assigned", "user", "u-100", now,
                "{\"userId\":\"u-100\",\"roleId\":\"r-sales\",\"assignedBy\":\"admin\"}")));
        published.add(add(redis, "crm:organization-assignments", fields("event", "{\"eventId\":\"evt-asg-1\","
                + "\"eventType\":\"organization.assignment.created\",\"source\":\"wrapper\",\"version\":\"1.0\","
                + "\"timestamp\":\"" + now + "\",\"tenantId\":\"" + TENANT + "\",\"data\":{\"assignmentId\":\"asg-1\","
                + "\"userId\":\"u-100\",\"organizationCode\":\"ACME-HQ\",\"role\":\"member\"}}")));
        published.add(add(redis, "crm:sync:credits:credit_allocated", flat("credit_allocated", "credit", "u-100", now,
                "{\"userId\":\"u-100\",\"amount\":500,\"operationId\":\"op-1\"}")));
        published.add(add(redis, "credit-events", fields("eventId", "evt-credit-2", "eventType", "credit.consumed",
                "tenantId", TENANT, "userId", "u-100", "amount", "120.50", "timestamp", now)));
        // a per-tenant stream: consumed because tenant acme is active in the tenants collection
        published.add(add(redis, "credit-events:" + TENANT, fields("eventId", "evt-credit-3", "eventType", "credit.allocated",
                "tenantId", TENANT, "userId", "u-100", "amount", "25", "timestamp", now)));
        published.add(add(redis, "crm:sync:credits:credit_config_updated", flat("credit_config_updated", "credit", "plan-pro", now,
                "{\"monthlyLimit\":1000,\"rollover\":true}")));
        published.add(add(redis, "inter-app-events", fields("eventId", "evt-ia-1", "eventType", "invoice.paid",
                "tenantId", TENANT, "sourceApplication", "billing", "targetApplication", "crm", "timestamp", now,
                "eventData", "{\"invoiceId\":\"inv-9\",\"total\":120.5}")));
        published.add(add(redis, "crm:sync:user:user_deactivated", flat("user_deactivated", "user", "u-100", now,
                "{\"deactivatedBy\":\"admin\",\"reason\":\"demo\"}")));
        // lands in PostgreSQL: agent agent-uid-1 of acme exists in the embedded leads database
        published.add(add(redis, "crm:sync:agent:lead_sources_updated", flat("agent.lead_sources.updated", "agent",
                "agent-uid-1", now, "{\"agentUid\":\"agent-uid-1\",\"email\":\"grace@acme.test\",\"leadSources\":"
                + "[\"aimedici\",\"web\"],\"updatedAt\":\"" + now + "\",\"updatedBy\":\"admin-uid\"}")));
        // malformed on purpose: its data is not JSON, so it goes to crm:dlq with reason invalid-json
        published.add(add(redis, "crm:sync:user:user_created", flat("user_created", "user", "u-bad", now, "{this is not json")));
        return published;
    }

    private static Map<String, String> flat(String type, String entityType, String entityId, String timestamp, String data) {
        return fields("streamId", "demo", "timestamp", timestamp, "sourceApp", "wrapper", "eventType", type,
                "entityType", entityType, "entityId", entityId, "tenantId", TENANT, "action", type, "data", data,
                "metadata", "{\"publishedBy\":\"crm-sync demo\"}");
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Published add(RedisCommands<String, String> redis, String stream, Map<String, String> fields) {
        return new Published(stream, redis.xadd(stream, fields));
    }
}
