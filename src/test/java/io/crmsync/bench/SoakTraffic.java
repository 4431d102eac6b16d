package io.crmsync.bench;

import static io.crmsync.bench.EventGenerator.fields;
import static io.crmsync.bench.EventGenerator.json;
import static io.crmsync.bench.EventGenerator.orgCode;
import static io.crmsync.bench.EventGenerator.orgId;
import static io.crmsync.bench.EventGenerator.tenantOf;
import static io.crmsync.bench.EventGenerator.userId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The soak's Redis traffic: valid user, organization and credit events mixed with malformed ones on the same users,
 * organizations and wallets, and what MongoDB must hold afterwards. The expectations fold only the valid events, in
 * event-time order (docs/contract-notes.md "Writes"), so any malformed event that got applied shows as a difference.
 * <p>
 * Users, organizations and wallets share ids with the benchmark's generator ({@link EventGenerator#userId}), so
 * {@link BenchServers#seed} seeds the tenants and organizations. Deterministic for a seed.
 */
final class SoakTraffic {

    /** A stream entry to publish; {@code raw} (random bytes) is published as it is instead of {@code fields}. */
    record Entry(String stream, Map<String, String> fields, byte[] raw, String kind) {
        boolean valid() {
            return VALID.equals(kind);
        }
    }

    static final String VALID = "valid";
    static final String MARK = "malformed-";
    static final String CROSS = "xtenant-";
    static final List<String> MALFORMED_KINDS = List.of("bad-json", "random-bytes", "unsafe-key-$", "unsafe-key-dot",
            "missing-tenant", "unknown-type", "cross-tenant-user", "cross-tenant-org", "cross-tenant-credit",
            "bad-timestamp", "bad-epoch-timestamp", "amount-1e400", "amount-non-numeric", "deep-nesting-250",
            "payload-2MiB", "reused-event-id");

    /** A user's expected document: per field, the newest valid event's value, nothing from before its newest delete. */
    static final class UserModel {
        long createdTime = -1;
        String email;
        String firstName;
        String lastName;
        long activeTime = -1;
        boolean active;
        long deleteTime = -1;
        long liveTime = -1;

        boolean deleted() {
            return deleteTime > liveTime;
        }

        /** A field only user_created sets, which a newer delete removes. */
        String created(String value) {
            return createdTime > deleteTime ? value : null;
        }
    }

    /** A valid credit movement: its ledger row must exist once, with this entity and signed amount. */
    record Movement(String eventId, String tenant, String entityId, BigDecimal amount) {
    }

    private final Random random;
    private final int users;
    private final int orgs;
    private final int largeMax;
    private final Instant base = Instant.parse("2026-01-01T00:00:00Z");
    private long ordinal;
    private int large;

    final Map<String, UserModel> userModels = new LinkedHashMap<>();
    /** organization id -> expected name (the seed's until a valid org_created names it). */
    final Map<String, String> orgNames = new LinkedHashMap<>();
    final Map<String, String> orgTenants = new HashMap<>();
    final List<Movement> movements = new ArrayList<>();
    /** Movements of the warm-up, processed before any malformed entry is published: reused ids come from here. */
    private final List<Movement> settled = new ArrayList<>();

    SoakTraffic(long seed, int users, int orgs, int largeMax) {
        this.random = new Random(seed);
        this.users = users;
        this.orgs = orgs;
        this.largeMax = largeMax;
        for (int o = 0; o < orgs; o++) {
            orgNames.put(orgId(o), "Org " + o);
            orgTenants.put(orgId(o), tenantOf(o));
        }
    }

    /**
     * One valid event for every user, organization and wallet, published and processed before anything malformed:
     * so a cross-tenant write meets an existing document, and a reused event id one already recorded.
     */
    List<Entry> warmUp() {
        List<Entry> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            out.add(userCreated(u, next()));
            out.add(credit(u, next(), 0));
        }
        for (int o = 0; o < orgs; o++) {
            out.add(orgCreated(o, next()));
        }
        settled.addAll(movements);
        return out;
    }

    /** {@code valid} valid and {@code malformed} malformed entries, shuffled: publish order is not event-time order. */
    List<Entry> chunk(int valid, int malformed) {
        List<Entry> out = new ArrayList<>(valid + malformed);
        for (int i = 0; i < valid; i++) {
            out.add(validEvent(next()));
        }
        for (int i = 0; i < malformed; i++) {
            out.add(malformedEvent(MALFORMED_KINDS.get(i % MALFORMED_KINDS.size()), next()));
        }
        Collections.shuffle(out, random);
        return out;
    }

    private long next() {
        return ordinal++;
    }

    private String ts(long t) {
        return base.plusMillis(t).toString();
    }

    private Entry validEvent(long t) {
        int kind = random.nextInt(100);
        int u = random.nextInt(users);
        if (kind < 28) {
            return userCreated(u, t);
        } else if (kind < 38) {
            String id = userId(u);
            UserModel model = user(u);
            model.liveTime = Math.max(model.liveTime, t);
            if (t > model.activeTime) {
                model.activeTime = t;
                model.active = false;
            }
            return flat("crm:sync:user:user_deactivated", "user_deactivated", "user", id, ts(t), tenantOf(u),
                    json("deactivatedBy", "admin", "reason", "soak"));
        } else if (kind < 40) {
            String id = userId(u);
            UserModel model = user(u);
            model.deleteTime = Math.max(model.deleteTime, t);
            if (t > model.activeTime) {
                model.activeTime = t;
                model.active = false;
            }
            return flat("crm:sync:user:user_deleted", "user_deleted", "user", id, ts(t), tenantOf(u),
                    json("deletedBy", "admin", "reason", "soak", "eventId", "soak-" + t));
        } else if (kind < 48) {
            return orgCreated(random.nextInt(orgs), t);
        }
        return credit(u, t, kind);
    }

    private Entry userCreated(int u, long t) {
        String id = userId(u);
        String email = "u" + u + "." + t + "@soak.test";
        UserModel model = user(u);
        model.liveTime = Math.max(model.liveTime, t);
        if (t > model.createdTime) {
            model.createdTime = t;
            model.email = email;
            model.firstName = "F" + t;
            model.lastName = "L" + t;
        }
        if (t > model.activeTime) {
            model.activeTime = t;
            model.active = true;
        }
        // one in five with an epoch-milliseconds timestamp, which the contract notes accept as well as ISO-8601
        String timestamp = random.nextInt(5) == 0 ? String.valueOf(base.plusMillis(t).toEpochMilli()) : ts(t);
        return flat("crm:sync:user:user_created", "user_created", "user", id, timestamp, tenantOf(u),
                json("userId", id, "email", email, "firstName", "F" + t, "lastName", "L" + t, "eventId", "soak-" + t));
    }

    private Entry orgCreated(int o, long t) {
        String name = "Org " + o + " v" + t;
        orgNames.put(orgId(o), name);
        return flat("crm:sync:organization:org_created", "org_created", "organization", orgId(o), ts(t), tenantOf(o),
                json("organizationId", orgId(o), "orgCode", orgCode(o), "name", name, "eventId", "soak-" + t));
    }

    /** A valid credit movement in one of the three shapes the credit streams take. */
    private Entry credit(int u, long t, int kind) {
        String tenant = tenantOf(u);
        String id = userId(u);
        String eventId = "soak-" + t;
        BigDecimal amount = new BigDecimal((1 + random.nextInt(200)) + "." + String.format("%02d", random.nextInt(100)));
        boolean allocated = random.nextInt(3) > 0;
        movements.add(new Movement(eventId, tenant, id, allocated ? amount : amount.negate()));
        return switch (kind % 3) {
            case 0 -> flat(allocated ? "crm:sync:credits:credit_allocated" : "crm:sync:credits:credit_consumed",
                    allocated ? "credit_allocated" : "credit_consumed", "credit", id, ts(t), tenant,
                    json("userId", id, "amount", amount, "operationId", "op-" + t, "eventId", eventId));
            case 1 -> bareCredit("credit-events", eventId, allocated, tenant, id, amount.toPlainString(), ts(t));
            default -> bareCredit("credit-events:" + tenant, eventId, allocated, tenant, id, amount.toPlainString(), ts(t));
        };
    }

    /**
     * A malformed entry of the given kind on an existing user, organization or wallet, newer than everything before
     * it, with values marked {@value #MARK} (or {@value #CROSS}): applied, it would show in the documents.
     */
    Entry malformedEvent(String kind, long t) {
        int u = random.nextInt(users);
        String id = userId(u);
        String tenant = tenantOf(u);
        String other = tenantOf(u + 1);
        String mark = MARK + kind + "-" + t;
        String stream = "crm:sync:user:user_created";
        Entry entry = switch (kind) {
            case "bad-json" -> flat(stream, "user_created", "user", id, ts(t), tenant,
                    "{\"userId\":\"" + id + "\",\"email\":\"" + mark + "\",\"firstName\":");
            case "random-bytes" -> {
                byte[] bytes = new byte[16 + random.nextInt(200)];
                random.nextBytes(bytes);
                yield new Entry(stream, Map.of(), bytes, kind);
            }
            case "unsafe-key-$" -> createdWith(u, t, tenant, "\"$set\":{\"isActive\":false},\"email\":\"" + mark + "\"");
            case "unsafe-key-dot" -> createdWith(u, t, tenant, "\"a.b\":1,\"email\":\"" + mark + "\"");
            case "missing-tenant" -> new Entry(stream, fields("streamId", stream, "timestamp", ts(t), "sourceApp", "wrapper",
                    "eventType", "user_created", "entityType", "user", "entityId", id, "action", "user_created",
                    "data", json("userId", id, "email", mark), "metadata", "{\"source\":\"soak\"}"), null, kind);
            case "unknown-type" -> flat(stream, "user_exploded", "user", id, ts(t), tenant, json("userId", id, "email", mark));
            // the user exists under its own tenant since the warm-up: another tenant's event must not touch it
            case "cross-tenant-user" -> flat(stream, "user_created", "user", id, ts(t), other,
                    json("userId", id, "email", CROSS + t, "firstName", CROSS + t));
            case "cross-tenant-org" -> {
                int o = random.nextInt(orgs);
                yield flat("crm:sync:organization:org_created", "org_created", "organization", orgId(o), ts(t),
                        tenantOf(o + 1), json("organizationId", orgId(o), "orgCode", orgCode(o), "name", CROSS + t));
            }
            // on the tenant's own stream, naming another tenant
            case "cross-tenant-credit" -> bareCredit("credit-events:" + tenant, "soak-x-" + t, true, other, id, "7.00", ts(t));
            case "bad-timestamp" -> createdWith(u, t, tenant, "\"email\":\"" + mark + "\"", t % 2 == 0 ? "not-a-time"
                    : "2026-13-45T99:00:00Z");
            // fractional milliseconds: the contract notes name it invalid
            case "bad-epoch-timestamp" -> createdWith(u, t, tenant, "\"email\":\"" + mark + "\"",
                    base.plusMillis(t).toEpochMilli() + ".5");
            // an amount Decimal128 holds alone but no running sum can: the poisoned wallet of issue 25
            case "amount-1e400" -> t % 2 == 0
                    ? flat("crm:sync:credits:credit_allocated", "credit_allocated", "credit", id, ts(t), tenant,
                            "{\"userId\":\"" + id + "\",\"amount\":1e400,\"eventId\":\"soak-m-" + t + "\"}")
                    : bareCredit("credit-events", "soak-m-" + t, true, tenant, id, "1e400", ts(t));
            case "amount-non-numeric" -> bareCredit(t % 2 == 0 ? "credit-events" : "credit-events:" + tenant,
                    "soak-m-" + t, true, tenant, id, List.of("abc", "NaN", "12,50", "Infinity").get((int) (t % 4)), ts(t));
            case "deep-nesting-250" -> createdWith(u, t, tenant, "\"email\":\"" + mark + "\",\"profile\":" + nested(250));
            case "payload-2MiB" -> {
                if (large++ >= largeMax) {
                    // past the cap (every 2 MiB entry is kept three times: stream, AOF, dead letters): another kind
                    yield malformedEvent("bad-json", t);
                }
                yield createdWith(u, t, tenant, "\"email\":\"" + mark + "\",\"bio\":\"" + "x".repeat(2 * 1024 * 1024) + "\"");
            }
            case "reused-event-id" -> {
                Movement used = settled.get(random.nextInt(settled.size()));
                // same id, another amount: another event reusing the id, not a redelivery
                yield bareCredit("credit-events", used.eventId(), true, used.tenant(), used.entityId(),
                        used.amount().abs().add(BigDecimal.ONE).toPlainString(), ts(t));
            }
            default -> throw new IllegalArgumentException(kind);
        };
        // flat() and bareCredit() make valid entries: this one is of the kind asked for, or the one it fell back to
        return new Entry(entry.stream(), entry.fields(), entry.raw(), entry.valid() ? kind : entry.kind());
    }

    private Entry createdWith(int u, long t, String tenant, String dataFields) {
        return createdWith(u, t, tenant, dataFields, ts(t));
    }

    private Entry createdWith(int u, long t, String tenant, String dataFields, String timestamp) {
        return flat("crm:sync:user:user_created", "user_created", "user", userId(u), timestamp, tenant,
                "{\"userId\":\"" + userId(u) + "\"," + dataFields + "}");
    }

    private static String nested(int depth) {
        return "{\"n\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private UserModel user(int u) {
        return userModels.computeIfAbsent(userId(u), k -> new UserModel());
    }

    private static Entry flat(String stream, String type, String entityType, String entityId, String ts, String tenant,
                              String data) {
        return new Entry(stream, fields("streamId", stream, "timestamp", ts, "sourceApp", "wrapper", "eventType", type,
                "entityType", entityType, "entityId", entityId, "tenantId", tenant, "action", type, "data", data,
                "metadata", "{\"source\":\"soak\"}"), null, VALID);
    }

    private static Entry bareCredit(String stream, String eventId, boolean allocated, String tenant, String user,
                                    String amount, String ts) {
        return new Entry(stream, fields("eventId", eventId, "eventType", allocated ? "credit.allocated" : "credit.consumed",
                "tenantId", tenant, "userId", user, "amount", amount, "timestamp", ts), null, VALID);
    }

    /** The raw entry's one field: random bytes as its name and its value. */
    static Map<byte[], byte[]> rawFields(Entry entry) {
        byte[] raw = entry.raw();
        int half = Math.max(1, raw.length / 8);
        return Map.of(java.util.Arrays.copyOf(raw, half), java.util.Arrays.copyOfRange(raw, half, raw.length));
    }

    static String describe(Entry entry) {
        if (entry.raw() != null) {
            return entry.raw().length + " random bytes";
        }
        String text = entry.fields().toString();
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
