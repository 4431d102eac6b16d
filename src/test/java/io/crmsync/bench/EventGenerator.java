package io.crmsync.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Makes the benchmark's events: every stream and all three message shapes of CONTRACT.md, entity ids from bounded
 * pools (so most writes upsert an existing document), and unique event times with about one event in ten published
 * late (up to {@code maxLag} positions after its time), so per-field convergence matters.
 * <p>
 * Deterministic for a seed, so the drain, baseline and scale phases all see the same events. It streams: only the
 * late events are held back, so a million events need no more memory than a few thousand. While it generates it
 * keeps what MongoDB must hold afterwards (credit balances, users' final state) for the smoke test's assertions.
 */
final class EventGenerator {

    static final List<String> TENANTS = List.of("bench-a", "bench-b", "bench-c");
    static final String ASSIGNMENTS = "crm:organization-assignments";
    static final String INTER_APP = "inter-app-events";

    /** A stream entry to publish. {@code ordinal} is its place in event-time order. */
    record Event(long ordinal, String stream, Map<String, String> fields) {
    }

    /**
     * What a user document must end as: the fields of its newest event that carries them, but nothing from before its
     * newest delete; deleted while that delete is its newest event.
     */
    static final class UserState {
        long activeTime = -1;
        boolean isActive;
        long emailTime = -1;
        String email;
        long deleteTime = -1;
        long liveTime = -1;

        boolean deleted() {
            return deleteTime > liveTime;
        }

        String email() {
            return emailTime > deleteTime ? email : null;
        }

        void live(long ordinal) {
            liveTime = Math.max(liveTime, ordinal);
        }
    }

    private final Random random;
    private final int users;
    private final int roles;
    private final int orgs;
    private final int maxLag;
    private final Instant base;
    private final PriorityQueue<long[]> late = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final Map<Long, Event> heldBack = new HashMap<>();
    private long next;
    private final long total;
    private long emitted;

    // expectations, keyed tenant:id
    final Map<String, BigDecimal> balances = new HashMap<>();
    final Map<String, UserState> userStates = new HashMap<>();
    final Map<String, Integer> perStream = new LinkedHashMap<>();

    EventGenerator(long total, long seed, Instant base) {
        this(total, seed, base, 5_000, 500, 200, 20_000);
    }

    EventGenerator(long total, long seed, Instant base, int users, int roles, int orgs, int maxLag) {
        this.total = total;
        this.random = new Random(seed);
        this.users = users;
        this.roles = roles;
        this.orgs = orgs;
        this.maxLag = maxLag;
        this.base = base;
    }

    static String tenantOf(int n) {
        return TENANTS.get(n % TENANTS.size());
    }

    static String userId(int n) {
        return tenantOf(n) + "-u-" + n;
    }

    static String orgId(int n) {
        return tenantOf(n) + "-org-" + n;
    }

    static String orgCode(int n) {
        return "CODE-" + n;
    }

    int orgs() {
        return orgs;
    }

    boolean hasNext() {
        return emitted < total;
    }

    /** The next event in publish order: event-time order, except that about one in ten comes late. */
    Event next() {
        while (true) {
            long[] due = late.peek();
            if (due != null && (due[0] <= next || next >= total)) {
                late.poll();
                emitted++;
                return heldBack.remove(due[1]);
            }
            long ordinal = next++;
            Event event = make(ordinal);
            if (maxLag > 0 && random.nextInt(10) == 0 && ordinal + 1 < total) {
                long publishAt = ordinal + 1 + random.nextInt(maxLag);
                late.add(new long[] {publishAt, ordinal});
                heldBack.put(ordinal, event);
                continue;
            }
            emitted++;
            return event;
        }
    }

    private Event make(long ordinal) {
        Instant time = base.plusMillis(ordinal);
        String ts = time.toString();
        int kind = random.nextInt(100);
        String eventId = "ev-" + ordinal;
        Event event;
        if (kind < 12) {
            int u = random.nextInt(users);
            String email = "user" + u + "." + ordinal + "@bench.test";
            event = flat(ordinal, "crm:sync:user:user_created", "user_created", "user", userId(u), ts, u,
                    json("userId", userId(u), "email", email, "firstName", "First" + u, "lastName", "Last" + u, "eventId", eventId));
            UserState state = user(u);
            state.live(ordinal);
            if (ordinal > state.emailTime) {
                state.emailTime = ordinal;
                state.email = email;
            }
            setActive(state, ordinal, true);
        } else if (kind < 17) {
            int u = random.nextInt(users);
            event = flat(ordinal, "crm:sync:user:user_deactivated", "user_deactivated", "user", userId(u), ts, u,
                    json("deactivatedBy", "admin", "reason", "bench"));
            user(u).live(ordinal);
            setActive(user(u), ordinal, false);
        } else if (kind < 18) {
            int u = random.nextInt(users);
            event = flat(ordinal, "crm:sync:user:user_deleted", "user_deleted", "user", userId(u), ts, u,
                    json("deletedBy", "admin", "reason", "bench", "eventId", eventId));
            UserState state = user(u);
            state.deleteTime = Math.max(state.deleteTime, ordinal);
            setActive(state, ordinal, false);
        } else if (kind < 21) {
            int r = random.nextInt(roles);
            // envelope in one field
            event = new Event(ordinal, "crm:sync:role:role_created", fields("event", envelope(eventId, "role.created", ts, tenantOf(r),
                    json("roleId", roleId(r), "roleName", "Role " + r, "description", "bench role", "permissions", List.of("leads:read")))));
        } else if (kind < 24) {
            int r = random.nextInt(roles);
            // envelope as flat fields, data a JSON string
            event = new Event(ordinal, "crm:sync:role:role_updated", fields("eventId", eventId, "eventType", "role.updated",
                    "source", "wrapper", "version", "1.0", "timestamp", ts, "tenantId", tenantOf(r),
                    "data", json("roleId", roleId(r), "description", "updated " + ordinal)));
        } else if (kind < 25) {
            int r = random.nextInt(roles);
            event = new Event(ordinal, "crm:sync:role:role_deleted", fields("payload", envelope(eventId, "role.deleted", ts, tenantOf(r),
                    json("roleId", roleId(r), "updatedBy", "admin"))));
        } else if (kind < 33) {
            int u = random.nextInt(users);
            int r = sameTenantRole(u);
            event = flat(ordinal, "crm:sync:permissions:role_assigned", "role_assigned", "user", userId(u), ts, u,
                    json("userId", userId(u), "roleId", roleId(r), "assignedBy", "admin"));
        } else if (kind < 36) {
            int u = random.nextInt(users);
            int r = sameTenantRole(u);
            event = flat(ordinal, "crm:sync:permissions:role_unassigned", "role_unassigned", "user", userId(u), ts, u,
                    json("userId", userId(u), "roleId", roleId(r), "performedBy", "admin"));
        } else if (kind < 38) {
            int r = random.nextInt(roles);
            event = flat(ordinal, "crm:sync:permissions:role_updated", "role_updated", "role", roleId(r), ts, r,
                    json("roleId", roleId(r), "restrictions", List.of("none"), "updatedBy", "admin"));
        } else if (kind < 41) {
            int r = random.nextInt(roles);
            event = flat(ordinal, "crm:sync:role_permissions", "role_permissions_updated", "role", roleId(r), ts, r,
                    json("roleId", roleId(r), "permissions", List.of("leads:read", "p" + (ordinal % 7)), "updatedBy", "admin"));
        } else if (kind < 42) {
            int o = random.nextInt(orgs);
            event = flat(ordinal, "crm:sync:organization:org_created", "org_created", "organization", orgId(o), ts, o,
                    json("organizationId", orgId(o), "orgCode", orgCode(o), "name", "Org " + o, "parentId", null));
        } else if (kind < 52) {
            event = assignment(ordinal, eventId, ts, kind);
        } else if (kind < 60) {
            event = flatCredit(ordinal, "crm:sync:credits:credit_allocated", "credit_allocated", ts, true);
        } else if (kind < 66) {
            event = flatCredit(ordinal, "crm:sync:credits:credit_consumed", "credit_consumed", ts, false);
        } else if (kind < 72) {
            event = bareCredit(ordinal, eventId, ts, false);
        } else if (kind < 76) {
            event = bareCredit(ordinal, eventId, ts, true);
        } else if (kind < 77) {
            int plan = random.nextInt(20);
            event = flat(ordinal, "crm:sync:credits:credit_config_updated", "credit_config_updated", "credit", "plan-" + plan, ts, plan,
                    json("monthlyLimit", 1000 + plan, "rollover", plan % 2 == 0));
        } else if (kind < 81) {
            int u = random.nextInt(users);
            boolean forUs = kind < 80;
            event = new Event(ordinal, INTER_APP, fields("eventId", eventId, "eventType", "invoice.paid", "tenantId", tenantOf(u),
                    "sourceApplication", "billing", "targetApplication", forUs ? "crm" : "billing", "timestamp", ts,
                    "eventData", json("invoiceId", "inv-" + ordinal, "userId", userId(u), "total", 12.5)));
        } else {
            // the rest: more user and credit traffic, the bulk of a real CRM's stream
            int u = random.nextInt(users);
            if (kind < 91) {
                event = flat(ordinal, "crm:sync:user:user_created", "user_created", "user", userId(u), ts, u,
                        json("userId", userId(u), "firstName", "First" + u, "lastName", "Last" + ordinal));
                user(u).live(ordinal);
                setActive(user(u), ordinal, true);
            } else {
                event = flatCredit(ordinal, "crm:sync:credits:credit_allocated", "credit_allocated", ts, true);
            }
        }
        perStream.merge(event.stream(), 1, Integer::sum);
        return event;
    }

    /** A role of user {@code u}'s tenant: ids are spread over tenants by their number modulo the tenant count. */
    private int sameTenantRole(int u) {
        return sameTenant(roles, u);
    }

    private int sameTenant(int pool, int u) {
        int n = TENANTS.size();
        return random.nextInt(Math.max(1, pool / n)) * n + (u % n);
    }

    private Event assignment(long ordinal, String eventId, String ts, int kind) {
        int a = random.nextInt(users * 2);
        int u = a % users;
        String tenant = tenantOf(u);
        String assignmentId = tenant + "-asg-" + a;
        // an organization of the same tenant
        int o = sameTenant(orgs, u);
        String type;
        String data;
        if (kind < 47) {
            type = "organization.assignment.created";
            data = kind % 2 == 0
                    ? json("assignmentId", assignmentId, "userId", userId(u), "organizationCode", orgCode(o), "role", "member")
                    : json("assignmentId", assignmentId, "userId", userId(u), "organizationId", orgId(o), "role", "member");
        } else if (kind < 49) {
            type = "organization.assignment.updated";
            data = json("assignmentId", assignmentId, "userId", userId(u), "organizationCode", orgCode(o), "role", "lead");
        } else if (kind < 50) {
            type = "organization.assignment.activated";
            data = json("assignmentId", assignmentId);
        } else if (kind < 51) {
            type = "organization.assignment.deactivated";
            data = json("assignmentId", assignmentId);
        } else {
            type = "organization.assignment.deleted";
            data = json("assignmentId", assignmentId);
        }
        String body = envelope(eventId, type, ts, tenant, data);
        return switch ((int) (ordinal % 3)) {
            case 0 -> new Event(ordinal, ASSIGNMENTS, fields("event", body));
            case 1 -> new Event(ordinal, ASSIGNMENTS, fields("message", body));
            default -> new Event(ordinal, ASSIGNMENTS, fields("eventId", eventId, "eventType", type, "source", "wrapper",
                    "version", "1.0", "timestamp", ts, "tenantId", tenant, "data", data));
        };
    }

    private Event flatCredit(long ordinal, String stream, String type, String ts, boolean allocated) {
        int u = random.nextInt(users);
        String amount = amount();
        addBalance(tenantOf(u), userId(u), amount, allocated);
        return flat(ordinal, stream, type, "credit", userId(u), ts, u,
                json("userId", userId(u), "amount", new BigDecimal(amount), "operationId", "op-" + ordinal));
    }

    private Event bareCredit(long ordinal, String eventId, String ts, boolean perTenant) {
        int u = random.nextInt(users);
        boolean allocated = random.nextBoolean();
        String amount = amount();
        String tenant = tenantOf(u);
        addBalance(tenant, userId(u), amount, allocated);
        return new Event(ordinal, perTenant ? "credit-events:" + tenant : "credit-events", fields("eventId", eventId,
                "eventType", allocated ? "credit.allocated" : "credit.consumed", "tenantId", tenant, "userId", userId(u),
                "amount", amount, "timestamp", ts));
    }

    private String amount() {
        return (1 + random.nextInt(200)) + "." + String.format("%02d", random.nextInt(100));
    }

    private void addBalance(String tenant, String user, String amount, boolean allocated) {
        BigDecimal value = new BigDecimal(amount);
        balances.merge(tenant + ":" + user, allocated ? value : value.negate(), BigDecimal::add);
    }

    private UserState user(int u) {
        return userStates.computeIfAbsent(tenantOf(u) + ":" + userId(u), k -> new UserState());
    }

    private static void setActive(UserState state, long ordinal, boolean active) {
        if (ordinal > state.activeTime) {
            state.activeTime = ordinal;
            state.isActive = active;
        }
    }

    static String roleId(int r) {
        return tenantOf(r) + "-role-" + r;
    }

    private Event flat(long ordinal, String stream, String type, String entityType, String entityId, String ts, int owner,
                       String data) {
        return new Event(ordinal, stream, fields("streamId", stream, "timestamp", ts, "sourceApp", "wrapper", "eventType", type,
                "entityType", entityType, "entityId", entityId, "tenantId", tenantOf(owner), "action", type, "data", data,
                "metadata", "{\"source\":\"bench\"}"));
    }

    private static String envelope(String eventId, String type, String ts, String tenant, String dataJson) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"source\":\"wrapper\",\"version\":\"1.0\","
                + "\"timestamp\":\"" + ts + "\",\"tenantId\":\"" + tenant + "\",\"data\":" + dataJson + "}";
    }

    /** A small JSON object of string, number, boolean, null or string-list values, in the order given. */
    static String json(Object... pairs) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(pairs[i]).append("\":");
            Object value = pairs[i + 1];
            if (value == null || value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int j = 0; j < list.size(); j++) {
                    out.append(j > 0 ? "," : "").append('"').append(list.get(j)).append('"');
                }
                out.append(']');
            } else {
                out.append('"').append(value).append('"');
            }
        }
        return out.append('}').toString();
    }

    static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Every stream the generator publishes to, with the consumer group crm-sync reads it with. */
    static Map<String, String> streamGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        for (String stream : List.of("crm:sync:user:user_created", "crm:sync:user:user_deactivated", "crm:sync:user:user_deleted",
                "crm:sync:role:role_created", "crm:sync:role:role_updated", "crm:sync:role:role_deleted",
                "crm:sync:permissions:role_assigned", "crm:sync:permissions:role_unassigned", "crm:sync:permissions:role_updated",
                "crm:sync:role_permissions", "crm:sync:organization:org_created", "crm:sync:credits:credit_allocated",
                "crm:sync:credits:credit_consumed", "crm:sync:credits:credit_config_updated", "credit-events")) {
            groups.put(stream, "crm-consumers");
        }
        TENANTS.forEach(t -> groups.put("credit-events:" + t, "crm-consumers"));
        groups.put(ASSIGNMENTS, "organization-assignment-consumers");
        groups.put(INTER_APP, "inter-app-consumers");
        return groups;
    }

    static List<String> streams() {
        return new ArrayList<>(streamGroups().keySet());
    }
}
