package io.crmsync.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * The soak's invariants, checked once every fault is over and the apps have settled (docs/reliability.md): each is a
 * row of expected against observed, with up to ten examples of what broke it, so a failure names its entries.
 */
final class SoakCheck {

    /** One invariant's outcome. */
    record Invariant(String name, String expected, String observed, boolean pass, List<String> evidence) {
    }

    static final String DEAD_LETTERS = "crm:dlq";
    private static final int EXAMPLES = 10;

    private final MongoDatabase db;
    private final RedisCommands<String, String> redis;
    final List<Invariant> invariants = new ArrayList<>();
    /** origin ({@code <stream>/<entry id>}) -> its dead-letter entry's fields. */
    private final Map<String, Map<String, String>> deadLetters = new HashMap<>();

    SoakCheck(MongoDatabase db, RedisCommands<String, String> redis) {
        this.db = db;
        this.redis = redis;
    }

    /**
     * Whether a ledger row counts in its balance: not when the app marked its fold refused ({@code refused: true},
     * docs/contract-notes.md, "Ledger and balance"), as a CRM summing a ledger must also leave it out.
     */
    static boolean accepted(Document row) {
        return !Boolean.TRUE.equals(row.get("refused"));
    }

    void all(SoakTraffic traffic, Map<String, SoakTraffic.Entry> published, List<SoakCdc.Row> pgRows,
             List<String> purchaseIds, List<SoakCdc.Row> kafkaRows, List<String> unexpectedExits) {
        readDeadLetters();
        users(traffic);
        organizations(traffic);
        ledger(traffic);
        balances(traffic);
        pending();
        malformedDeadLettered(published);
        validNotDeadLettered(published);
        crossTenant();
        cdc("CDC (Debezium, PostgreSQL) wallet rows: one ledger row each, exact amount", pgRows);
        cdc("CDC (Kafka) wallet movements: one ledger row each, exact amount", kafkaRows);
        cdcBalances(pgRows, kafkaRows);
        purchases(purchaseIds);
        add("no crm-sync exit but the soak's own kill -9", "0", String.valueOf(unexpectedExits.size()),
                unexpectedExits.isEmpty(), unexpectedExits);
    }

    private void readDeadLetters() {
        String from = "-";
        while (true) {
            List<StreamMessage<String, String>> page = redis.xrange(DEAD_LETTERS, Range.create(from, "+"),
                    io.lettuce.core.Limit.from(200));
            for (StreamMessage<String, String> message : page) {
                Map<String, String> body = message.getBody();
                deadLetters.put(body.get("dlq.sourceStream") + "/" + body.get("dlq.sourceId"), body);
            }
            if (page.size() < 200) {
                return;
            }
            from = "(" + page.get(page.size() - 1).getId();
        }
    }

    private void users(SoakTraffic traffic) {
        Map<String, Document> docs = byId("users");
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> causes = new TreeMap<>();
        traffic.userModels.forEach((id, model) -> {
            Document doc = docs.get(id);
            Map<String, Object> expected = new TreeMap<>();
            expected.put("email", model.created(model.email));
            expected.put("firstName", model.created(model.firstName));
            expected.put("lastName", model.created(model.lastName));
            expected.put("isActive", model.active);
            expected.put("deleted", model.deleted());
            Map<String, Object> observed = new TreeMap<>();
            if (doc != null) {
                observed.put("email", doc.get("email"));
                observed.put("firstName", doc.get("firstName"));
                observed.put("lastName", doc.get("lastName"));
                observed.put("isActive", doc.get("isActive"));
                observed.put("deleted", Boolean.TRUE.equals(doc.get("deleted")));
            }
            if (!expected.equals(observed)) {
                wrong.add("user " + id + ": expected " + expected + ", observed " + (doc == null ? "no document" : observed));
                causes.merge(doc == null ? "no document" : causeOf(doc.toJson()), 1, Integer::sum);
            }
        });
        List<String> evidence = new ArrayList<>();
        if (!wrong.isEmpty()) {
            evidence.add("differences by the malformed kind whose value the document holds: " + causes);
        }
        evidence.addAll(wrong);
        add("valid user events applied exactly once (document = valid events folded in event-time order)",
                traffic.userModels.size() + " users", (traffic.userModels.size() - wrong.size()) + " equal, " + wrong.size()
                        + " differ", wrong.isEmpty(), evidence);
    }

    /** The malformed kind whose marked value a document holds, or "none" (then the harness or a valid event is at fault). */
    private static String causeOf(String json) {
        int at = json.indexOf(SoakTraffic.MARK);
        if (at >= 0) {
            String marked = json.substring(at + SoakTraffic.MARK.length());
            return SoakTraffic.MALFORMED_KINDS.stream().filter(marked::startsWith).findFirst().orElse("malformed, kind unknown");
        }
        return json.contains(SoakTraffic.CROSS) ? "cross-tenant" : "none (no malformed value in it)";
    }

    private void organizations(SoakTraffic traffic) {
        Map<String, Document> docs = byId("organizations");
        List<String> wrong = new ArrayList<>();
        traffic.orgNames.forEach((id, name) -> {
            Document doc = docs.get(id);
            if (doc == null || !name.equals(doc.get("name")) || !traffic.orgTenants.get(id).equals(doc.get("tenantId"))) {
                wrong.add("organization " + id + ": expected name " + name + ", observed "
                        + (doc == null ? "no document" : doc.get("name") + " (tenant " + doc.get("tenantId") + ")"));
            }
        });
        add("valid organization events applied exactly once (name = newest valid event's)", traffic.orgNames.size()
                + " organizations", (traffic.orgNames.size() - wrong.size()) + " equal, " + wrong.size() + " differ",
                wrong.isEmpty(), wrong);
    }

    /** Each valid credit event's ledger row once, with its entity and amount; no row from a malformed entry. */
    private void ledger(SoakTraffic traffic) {
        Map<String, Document> rows = byId("creditLedger");
        List<String> wrong = new ArrayList<>();
        Set<String> valid = new HashSet<>();
        for (SoakTraffic.Movement movement : traffic.movements) {
            valid.add(movement.eventId());
            Document row = rows.get(movement.eventId());
            if (row == null) {
                wrong.add(movement.eventId() + " (" + movement.tenant() + ":" + movement.entityId() + " "
                        + movement.amount() + "): no ledger row");
            } else if (!movement.entityId().equals(row.get("entityId")) || decimal(row.get("amount")).compareTo(movement.amount()) != 0) {
                wrong.add(movement.eventId() + ": expected " + movement.entityId() + " " + movement.amount() + ", row has "
                        + row.get("entityId") + " " + row.get("amount"));
            } else if (!accepted(row)) {
                wrong.add(movement.eventId() + ": row marked refused " + row.toJson());
            }
        }
        add("valid credit events: each one's ledger row exists once, exact amount", traffic.movements.size() + " rows",
                (traffic.movements.size() - wrong.size()) + " exact, " + wrong.size() + " missing or wrong", wrong.isEmpty(), wrong);
        List<String> extra = rows.values().stream().filter(r -> !valid.contains(r.get("_id")))
                .filter(r -> !String.valueOf(r.get("_id")).startsWith("wallet_ledger/"))
                .map(r -> r.get("_id") + " " + r.get("tenantId") + ":" + r.get("entityId") + " " + r.get("amount")).toList();
        add("no ledger row from a malformed entry", "0", String.valueOf(extra.size()), extra.isEmpty(), extra);
    }

    /** Every balance equals the sum of its accepted ledger rows; the Redis wallets' equal their valid movements too. */
    private void balances(SoakTraffic traffic) {
        Map<String, BigDecimal> ledgerSums = new HashMap<>();
        for (Document row : db.getCollection("creditLedger").find()) {
            if (accepted(row)) {
                ledgerSums.merge(row.get("tenantId") + ":" + row.get("entityId"), decimal(row.get("amount")), BigDecimal::add);
            }
        }
        Map<String, Document> balances = byId("creditBalances");
        List<String> wrong = new ArrayList<>();
        balances.forEach((id, doc) -> {
            BigDecimal sum = ledgerSums.getOrDefault(doc.get("tenantId") + ":" + doc.get("entityId"), BigDecimal.ZERO);
            if (decimal(doc.get("balance")).compareTo(sum) != 0) {
                wrong.add(id + ": balance " + doc.get("balance") + ", ledger sum " + sum);
            }
        });
        add("balances equal the sum of their accepted ledger rows", balances.size() + " balances",
                (balances.size() - wrong.size()) + " equal, " + wrong.size() + " differ", wrong.isEmpty(), wrong);

        Map<String, BigDecimal> expected = new HashMap<>();
        traffic.movements.forEach(m -> expected.merge(m.tenant() + ":" + m.entityId(), m.amount(), BigDecimal::add));
        List<String> off = new ArrayList<>();
        expected.forEach((key, sum) -> {
            Document doc = balances.get(key);
            if (doc == null || decimal(doc.get("balance")).compareTo(sum) != 0) {
                off.add(key + ": expected " + sum + ", observed " + (doc == null ? "no balance" : doc.get("balance")));
            }
        });
        add("Redis wallets' balances equal their valid events' sum", expected.size() + " wallets",
                (expected.size() - off.size()) + " equal, " + off.size() + " differ", off.isEmpty(), off);
    }

    private void pending() {
        Map<String, Long> pending = StreamGroups.pendingByGroup(redis);
        long total = pending.values().stream().mapToLong(Long::longValue).sum();
        add("0 pending in every consumer group (XPENDING)", "0", String.valueOf(total), total == 0,
                pending.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    private void malformedDeadLettered(Map<String, SoakTraffic.Entry> published) {
        List<String> missing = new ArrayList<>();
        Map<String, Map<String, Integer>> reasons = new TreeMap<>();
        long malformed = 0;
        for (Map.Entry<String, SoakTraffic.Entry> e : published.entrySet()) {
            if (e.getValue().valid()) {
                continue;
            }
            malformed++;
            Map<String, String> dead = deadLetters.get(e.getKey());
            String reason = dead == null ? null : dead.get("dlq.reason");
            if (reason == null || reason.isBlank()) {
                missing.add(e.getValue().kind() + " " + e.getKey() + " " + record(e.getKey()) + ": "
                        + SoakTraffic.describe(e.getValue()));
            } else {
                reasons.computeIfAbsent(e.getValue().kind(), k -> new TreeMap<>()).merge(reason, 1, Integer::sum);
            }
        }
        Map<String, Long> missingByKind = missing.stream().collect(Collectors.groupingBy(m -> m.substring(0, m.indexOf(' ')),
                TreeMap::new, Collectors.counting()));
        List<String> evidence = new ArrayList<>();
        evidence.add("dead-letter reasons by kind: " + reasons);
        if (!missing.isEmpty()) {
            evidence.add("not dead-lettered, by kind: " + missingByKind);
        }
        evidence.addAll(missing);
        add("every malformed entry dead-lettered with a reason", malformed + " entries", (malformed - missing.size())
                + " dead-lettered, " + missing.size() + " not", missing.isEmpty(), evidence);
    }

    private void validNotDeadLettered(Map<String, SoakTraffic.Entry> published) {
        List<String> dead = new ArrayList<>();
        List<String> unsettled = new ArrayList<>();
        List<String> validOrigins = published.entrySet().stream().filter(e -> e.getValue().valid()).map(Map.Entry::getKey).toList();
        Map<String, String> statuses = new HashMap<>();
        for (int i = 0; i < validOrigins.size(); i += 200) {
            for (Document record : db.getCollection("eventProcessingRecords")
                    .find(Filters.in("_id", validOrigins.subList(i, Math.min(validOrigins.size(), i + 200))))) {
                statuses.put(record.getString("_id"), record.getString("status"));
            }
        }
        for (String origin : validOrigins) {
            Map<String, String> letter = deadLetters.get(origin);
            if (letter != null) {
                dead.add(origin + " " + letter.get("dlq.reason") + ": " + letter.get("dlq.error") + " (delivery "
                        + letter.get("dlq.deliveryCount") + ", " + letter.get("dlq.consumer") + ")");
            }
            String status = statuses.get(origin);
            if (!"processed".equals(status) && !"stale".equals(status)) {
                unsettled.add(origin + ": record " + status + " " + SoakTraffic.describe(published.get(origin)));
            }
        }
        add("0 valid entries dead-lettered", "0", String.valueOf(dead.size()), dead.isEmpty(), dead);
        add("every valid entry's processing record says processed or stale", validOrigins.size() + " entries",
                (validOrigins.size() - unsettled.size()) + " do, " + unsettled.size() + " do not", unsettled.isEmpty(), unsettled);
    }

    /**
     * Every document's tenant is the one its id names (ids start with their tenant), and no document holds a value
     * only a cross-tenant or malformed entry carried.
     */
    private void crossTenant() {
        List<String> wrong = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        for (String collection : List.of("users", "organizations", "creditLedger", "creditBalances")) {
            for (Document doc : db.getCollection(collection).find()) {
                String owner = "creditLedger".equals(collection) || "creditBalances".equals(collection)
                        ? String.valueOf(doc.get("entityId")) : String.valueOf(doc.get("_id"));
                Object tenant = doc.get("tenantId");
                String json = doc.toJson();
                String shown = json.length() > 300 ? json.substring(0, 300) + "..." : json;
                if (tenant == null || !owner.startsWith(tenant + "-")) {
                    wrong.add(collection + " " + doc.get("_id") + " has tenant " + tenant);
                } else if (json.contains(SoakTraffic.CROSS)) {
                    wrong.add(collection + " " + doc.get("_id") + " holds another tenant's event's value: " + shown);
                } else if (json.contains(SoakTraffic.MARK)) {
                    marked.add(collection + " " + doc.get("_id") + ": " + shown);
                    kinds.merge(causeOf(json), 1, Integer::sum);
                }
            }
        }
        add("0 cross-tenant writes (document tenant = its id's; no other tenant's value)", "0", String.valueOf(wrong.size()),
                wrong.isEmpty(), wrong);
        List<String> evidence = new ArrayList<>();
        if (!marked.isEmpty()) {
            evidence.add("documents by the malformed kind whose value they hold: " + kinds);
        }
        evidence.addAll(marked);
        add("no malformed entry's value in any document", "0", String.valueOf(marked.size()), marked.isEmpty(), evidence);
    }

    private void cdc(String name, List<SoakCdc.Row> rows) {
        Map<String, Document> ledger = byId("creditLedger");
        List<String> wrong = new ArrayList<>();
        for (SoakCdc.Row row : rows) {
            Document doc = ledger.get(row.eventId());
            if (doc == null) {
                wrong.add(row.eventId() + " (" + row.wallet() + " " + row.amount() + "): no ledger row");
            } else if (!row.wallet().equals(doc.get("entityId")) || decimal(doc.get("amount")).compareTo(row.amount()) != 0) {
                wrong.add(row.eventId() + ": expected " + row.wallet() + " " + row.amount() + ", row has " + doc.get("entityId")
                        + " " + doc.get("amount"));
            }
        }
        add(name, rows.size() + " rows", (rows.size() - wrong.size()) + " exact, " + wrong.size() + " missing or wrong",
                wrong.isEmpty(), wrong);
    }

    private void cdcBalances(List<SoakCdc.Row> pgRows, List<SoakCdc.Row> kafkaRows) {
        List<SoakCdc.Row> all = new ArrayList<>(pgRows);
        all.addAll(kafkaRows);
        Map<String, Document> balances = byId("creditBalances");
        List<String> wrong = new ArrayList<>();
        SoakCdc.balances(all).forEach((key, sum) -> {
            Document doc = balances.get(key);
            if (doc == null || decimal(doc.get("balance")).compareTo(sum) != 0) {
                wrong.add(key + ": expected " + sum + ", observed " + (doc == null ? "no balance" : doc.get("balance")));
            }
        });
        long wallets = SoakCdc.balances(all).size();
        add("CDC wallets' balances exact", wallets + " wallets", (wallets - wrong.size()) + " exact, " + wrong.size()
                + " differ", wrong.isEmpty(), wrong);
    }

    private void purchases(List<String> ids) {
        Set<String> present = new HashSet<>();
        db.getCollection("purchases").find().projection(new Document("_id", 1)).forEach(d -> present.add(String.valueOf(d.get("_id"))));
        List<String> missing = ids.stream().filter(id -> !present.contains(id)).map(id -> id + ": no purchases document").toList();
        long extra = present.size() - (ids.size() - missing.size());
        add("CDC purchase rows: one document each", ids.size() + " documents", (ids.size() - missing.size()) + " present, "
                + missing.size() + " missing, " + extra + " extra", missing.isEmpty() && extra == 0, missing);
    }

    private String record(String origin) {
        Document record = db.getCollection("eventProcessingRecords").find(Filters.eq("_id", origin)).first();
        return record == null ? "(no processing record)" : "(record " + record.get("status") + ")";
    }

    private Map<String, Document> byId(String collection) {
        Map<String, Document> out = new HashMap<>();
        db.getCollection(collection).find().forEach(d -> out.put(String.valueOf(d.get("_id")), d));
        return out;
    }

    private void add(String name, String expected, String observed, boolean pass, List<String> evidence) {
        invariants.add(new Invariant(name, expected, observed, pass, evidence.stream().limit(EXAMPLES).toList()));
    }

    boolean passed() {
        return invariants.stream().allMatch(Invariant::pass);
    }

    /** The invariants as a Markdown table, then the evidence of each that failed. */
    String table() {
        StringBuilder out = new StringBuilder("| invariant | expected | observed | pass |\n|---|---|---|---|\n");
        for (Invariant i : invariants) {
            out.append("| ").append(i.name()).append(" | ").append(i.expected()).append(" | ").append(i.observed())
                    .append(" | ").append(i.pass() ? "yes" : "**NO**").append(" |\n");
        }
        for (Invariant i : invariants) {
            if (!i.pass() || i.name().startsWith("every malformed")) {
                out.append("\n").append(i.pass() ? "" : "FAILED: ").append(i.name()).append('\n');
                i.evidence().forEach(e -> out.append("  - ").append(e).append('\n'));
            }
        }
        return out.toString();
    }

    /** A stored amount; null, NaN or infinite as a value no expected sum can equal. */
    static BigDecimal decimal(Object value) {
        if (value instanceof Decimal128 d) {
            return d.isNaN() || d.isInfinite() ? IMPOSSIBLE : d.bigDecimalValue();
        }
        try {
            return value == null ? IMPOSSIBLE : new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            return IMPOSSIBLE;
        }
    }

    private static final BigDecimal IMPOSSIBLE = new BigDecimal("-1E+9999");
}
