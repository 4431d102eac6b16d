package io.crmsync.core.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.crmsync.core.event.EventTypes;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.StampedMerge;
import io.crmsync.core.write.ValueType;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads a {@code *.mapping.yaml} into {@link Mapping}s, refusing anything it does not know (an option, a value type, a
 * language, a collection name) with the line it is on. Expressions are compiled here, once, in the given context's
 * languages. The format is documented in docs/mappings.md.
 */
public final class MappingParser {

    /** One thing wrong, at a 1-based line. */
    public record Issue(int line, String message) {
    }

    /**
     * @param types   the event types the file's mappings declare ({@code types:}), each to its mapping's id
     * @param aliases other spellings of a type ({@code aliases:}), folded, to the type they stand for
     */
    public record Result(List<Mapping> mappings, List<Issue> issues, Map<String, String> types, Map<String, String> aliases) {

        public Result(List<Mapping> mappings, List<Issue> issues) {
            this(mappings, issues, Map.of(), Map.of());
        }
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> MAPPING_KEYS = Set.of("key", "copy", "exclude", "fields", "tombstone", "lookup", "skip", "reject",
            "ledger", "types", "extends");
    // merged option by option when a mapping extends another; any other option is replaced as a whole
    private static final Set<String> MERGED = Set.of("fields", "tombstone", "ledger");
    // what a mapping says about itself, never inherited: two mappings cannot handle one type
    private static final Set<String> OWN = Set.of("types", "extends");
    private static final Set<String> FIELD_KEYS = Set.of("from", "constant", "join", "separator", "default", "type",
            "required", "onInsert");
    // identity, fence and versions of a document: never a mapped field
    private static final Set<String> RESERVED = Set.of("_id", "tenantId", "_sync");
    // and of a ledger entry, which crm-sync writes itself
    private static final Set<String> LEDGER_RESERVED = Set.of("entityId", "amount", "timestamp", "folded");

    private final List<Issue> issues = new ArrayList<>();
    private final ValueReader reader;
    private String file;

    public MappingParser(CamelContext camel) {
        this.reader = new ValueReader(camel, this::issue);
    }

    public Result parse(String fileName, String content) {
        issues.clear();
        file = fileName;
        List<Mapping> mappings = new ArrayList<>();
        Node root;
        try {
            root = Yamls.compose(content);
        } catch (Yamls.SyntaxError e) {
            return new Result(List.of(), List.of(new Issue(e.line(), e.getMessage())));
        }
        if (root == null) {
            return new Result(List.of(), List.of(new Issue(1, "empty: a mapping file starts with 'mappings:'")));
        }
        Map<String, NodeTuple> top = entries(root, Set.of("mappings", "aliases"), "the file");
        Map<String, String> types = new LinkedHashMap<>();
        if (top != null && top.containsKey("mappings")) {
            Map<String, NodeTuple> byId = entries(top.get("mappings").getValueNode(), null, "mappings");
            if (byId != null) {
                byId.forEach((id, tuple) -> {
                    if (!ID.matcher(id).matches()) {
                        issue(tuple.getKeyNode(), "mapping id '" + id + "' must be letters, digits, '.', '_' or '-'");
                    } else {
                        Map<String, NodeTuple> spec = spec(id, tuple.getValueNode(), byId, new LinkedHashSet<>());
                        Mapping mapping = spec == null ? null : mapping(id, tuple.getKeyNode(), spec);
                        if (mapping != null) {
                            mappings.add(mapping);
                            types(id, spec.get("types"), types);
                        }
                    }
                });
            }
        } else if (top != null) {
            issue(root, "a mapping file starts with 'mappings:'");
        }
        Map<String, String> aliases = top != null && top.containsKey("aliases") ? aliases(top.get("aliases")) : Map.of();
        List<Issue> found = List.copyOf(new LinkedHashSet<>(issues));
        return found.isEmpty() ? new Result(mappings, found, Map.copyOf(types), aliases) : new Result(List.of(), found);
    }

    /**
     * A mapping's options, with those of the mapping it extends (in the same file) under its own: fields, tombstone
     * and ledger are merged name by name, any other option the extending mapping gives replaces the extended one's.
     */
    private Map<String, NodeTuple> spec(String id, Node node, Map<String, NodeTuple> byId, Set<String> chain) {
        Map<String, NodeTuple> own = entries(node, MAPPING_KEYS, "mapping " + id);
        if (own == null || !own.containsKey("extends")) {
            return own;
        }
        Node extendsNode = own.get("extends").getValueNode();
        String parent = reader.scalar(extendsNode, "extends");
        chain.add(id);
        if (parent == null || !byId.containsKey(parent)) {
            issue(extendsNode, "mapping " + id + " extends '" + parent + "', which this file does not declare");
            return null;
        }
        if (chain.contains(parent)) {
            issue(extendsNode, "mapping " + id + " extends '" + parent + "', which extends it in turn");
            return null;
        }
        Map<String, NodeTuple> inherited = spec(parent, byId.get(parent).getValueNode(), byId, chain);
        if (inherited == null) {
            return null;
        }
        Map<String, NodeTuple> merged = new LinkedHashMap<>();
        inherited.forEach((key, tuple) -> {
            if (!OWN.contains(key)) {
                merged.put(key, tuple);
            }
        });
        own.forEach((key, tuple) -> merged.put(key, MERGED.contains(key) && merged.containsKey(key)
                ? merge(merged.get(key), tuple) : tuple));
        return merged;
    }

    /** Two mapping-valued options, name by name, the second's names winning. */
    private static NodeTuple merge(NodeTuple base, NodeTuple over) {
        if (!(base.getValueNode() instanceof MappingNode b) || !(over.getValueNode() instanceof MappingNode o)) {
            return over;
        }
        Map<String, NodeTuple> byName = new LinkedHashMap<>();
        for (NodeTuple t : b.getValue()) {
            byName.put(String.valueOf(Yamls.plain(t.getKeyNode())), t);
        }
        for (NodeTuple t : o.getValue()) {
            byName.put(String.valueOf(Yamls.plain(t.getKeyNode())), t);
        }
        return new NodeTuple(over.getKeyNode(), new MappingNode(o.getTag(), true, new ArrayList<>(byName.values()),
                o.getStartMark(), o.getEndMark(), o.getFlowStyle()));
    }

    /** The event types a mapping handles: a store endpoint without {@code mapping=} picks it for them. */
    private void types(String id, NodeTuple declared, Map<String, String> types) {
        if (declared == null) {
            return;
        }
        for (String name : reader.names(declared.getValueNode())) {
            // as normalised events name it: a canonical type may keep an underscore folding would make a dot
            String type = name.trim().toLowerCase(Locale.ROOT);
            String other = types.putIfAbsent(type, id);
            if (other != null && !other.equals(id)) {
                issue(declared.getValueNode(), "event type " + type + " is handled by mapping " + other + " already");
            }
        }
    }

    /** {@code aliases: {org.created: organization.created}}: another spelling of a type, and the type. */
    private Map<String, String> aliases(NodeTuple declared) {
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, NodeTuple> byName = entries(declared.getValueNode(), null, "aliases");
        if (byName != null) {
            byName.forEach((alias, tuple) -> {
                String type = reader.scalar(tuple.getValueNode(), "alias " + alias);
                String canonical = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
                if (canonical == null || canonical.equals(EventTypes.fold(alias))) {
                    issue(tuple.getValueNode(), "alias " + alias + " names the event type it stands for, another one");
                } else {
                    aliases.put(EventTypes.fold(alias), canonical);
                }
            });
        }
        return Map.copyOf(aliases);
    }

    private Mapping mapping(String id, Node idNode, Map<String, NodeTuple> spec) {
        int before = issues.size();
        Mapping.Copy copy = Mapping.Copy.NONE;
        if (spec.containsKey("copy")) {
            String text = reader.scalar(spec.get("copy").getValueNode(), "copy");
            copy = switch (text == null ? "" : text) {
                case "data" -> Mapping.Copy.DATA;
                case "fields" -> Mapping.Copy.FIELDS;
                case "none" -> Mapping.Copy.NONE;
                default -> {
                    issue(spec.get("copy").getValueNode(), "copy is data, fields or none, not '" + text + "'");
                    yield Mapping.Copy.NONE;
                }
            };
        }
        Set<String> exclude = spec.containsKey("exclude") ? new LinkedHashSet<>(reader.names(spec.get("exclude").getValueNode())) : Set.of();
        List<Mapping.FieldRule> fields = new ArrayList<>();
        if (spec.containsKey("fields")) {
            Map<String, NodeTuple> declared = entries(spec.get("fields").getValueNode(), null, "fields");
            if (declared != null) {
                declared.forEach((name, tuple) -> {
                    reader.fieldName(tuple.getKeyNode(), name);
                    fields.add(field(name, tuple.getValueNode()));
                });
            }
        }
        Map<String, Object> tombstone = new LinkedHashMap<>();
        if (spec.containsKey("tombstone")) {
            Map<String, NodeTuple> flags = entries(spec.get("tombstone").getValueNode(), null, "tombstone");
            if (flags != null) {
                flags.forEach((name, tuple) -> {
                    reader.fieldName(tuple.getKeyNode(), name);
                    tombstone.put(name, Yamls.plain(tuple.getValueNode()));
                    if (name.equals(StampedMerge.DELETED) && !Boolean.TRUE.equals(tombstone.get(name))) {
                        issue(tuple.getValueNode(), "a tombstone marks the document deleted: true, not "
                                + tombstone.get(name) + " (the store removes the mark when a newer event brings it back)");
                    }
                });
            }
        }
        List<Mapping.Skip> skips = new ArrayList<>();
        for (Node item : items(spec.get("skip"), "skip")) {
            Map<String, NodeTuple> skip = entries(item, Set.of("when", "reason"), "a skip");
            if (skip != null) {
                String reason = skip.containsKey("reason") ? reader.scalar(skip.get("reason").getValueNode(), "reason") : null;
                if (reason == null) {
                    issue(item, "a skip needs a reason: it is recorded with the event");
                }
                skips.add(new Mapping.Skip(skip.containsKey("when") ? reader.predicate(skip.get("when").getValueNode()) : null, reason));
            }
        }
        List<Mapping.Reject> rejects = new ArrayList<>();
        for (Node item : items(spec.get("reject"), "reject")) {
            Map<String, NodeTuple> reject = entries(item, Set.of("when", "reason"), "a reject");
            if (reject != null) {
                String reason = reject.containsKey("reason") ? reader.scalar(reject.get("reason").getValueNode(), "reason") : null;
                if (!RejectReason.isValid(reason)) {
                    issue(item, "a reject needs a reason: the dead-letter reason, lower-case words joined by '-', such as "
                            + "ledger-row-deleted");
                    reason = RejectReason.PROCESSING_ERROR.code();
                }
                rejects.add(new Mapping.Reject(reject.containsKey("when") ? reader.predicate(reject.get("when").getValueNode())
                        : null, new RejectReason(reason)));
            }
        }
        List<Mapping.Lookup> lookups = new ArrayList<>();
        for (Node item : items(spec.get("lookup"), "lookup")) {
            lookups.add(lookup(item));
        }
        Mapping.Ledger ledger = spec.containsKey("ledger") ? ledger(spec.get("ledger").getValueNode()) : null;
        reserved(spec, fields, tombstone, lookups, ledger != null);
        boolean skipsAlways = skips.stream().anyMatch(s -> s.when() == null);
        Mapping.Key key = null;
        if (spec.containsKey("key")) {
            key = key(spec.get("key").getValueNode());
        } else if (!skipsAlways) {
            issue(idNode, "mapping " + id + " has no key: which fields name the document");
        }
        if (issues.size() > before) {
            return null;
        }
        return new Mapping(id, file + ":" + line(idNode), key, copy, exclude, List.copyOf(fields), Map.copyOf(tombstone),
                List.copyOf(lookups), List.copyOf(skips), List.copyOf(rejects), ledger);
    }

    /** A mapped field must not replace what identifies, fences or versions the document (or the ledger entry). */
    private void reserved(Map<String, NodeTuple> spec, List<Mapping.FieldRule> fields, Map<String, Object> tombstone,
            List<Mapping.Lookup> lookups, boolean ledger) {
        List<String> written = new ArrayList<>();
        fields.forEach(f -> written.add(f.name()));
        written.addAll(tombstone.keySet());
        lookups.stream().filter(java.util.Objects::nonNull).forEach(l -> written.addAll(l.copy().keySet()));
        for (String name : written) {
            if (RESERVED.contains(name) || (ledger && LEDGER_RESERVED.contains(name))) {
                issue(spec.get(spec.containsKey("fields") ? "fields" : spec.containsKey("tombstone") ? "tombstone" : "lookup")
                        .getKeyNode(), "'" + name + "' is written by crm-sync itself; a mapping cannot set it");
            }
        }
    }

    private Mapping.FieldRule field(String name, Node node) {
        if (!(node instanceof MappingNode)) {
            return new Mapping.FieldRule(name, reader.values(node), null, false, false);
        }
        Map<String, NodeTuple> spec = entries(node, null, "field " + name);
        List<Value> sources = new ArrayList<>();
        ValueType type = null;
        boolean required = false;
        boolean setOnce = false;
        Object fallback = null;
        for (Map.Entry<String, NodeTuple> option : spec.entrySet()) {
            Node value = option.getValue().getValueNode();
            switch (option.getKey()) {
                case "from" -> sources.add(reader.values(value));
                case "constant" -> sources.add(new Value.Constant(Yamls.plain(value)));
                case "join" -> sources.add(reader.join(spec));
                case "separator" -> {
                    if (!spec.containsKey("join")) {
                        issue(option.getValue().getKeyNode(), "separator goes with join");
                    }
                }
                case "default" -> fallback = Yamls.plain(value);
                case "type" -> type = reader.type(value);
                case "required" -> required = reader.bool(value);
                case "onInsert" -> setOnce = reader.bool(value);
                default -> {
                    Value expression = reader.expression(option.getKey(), value, FIELD_KEYS);
                    if (expression != null) {
                        sources.add(expression);
                    }
                }
            }
        }
        if (sources.size() > 1) {
            issue(node, "field " + name + " takes one of from, constant, join or an expression, not several");
        }
        Value source = sources.isEmpty() ? new Value.Field(name) : sources.get(0);
        if (fallback != null) {
            source = new Value.FirstOf(List.of(source, new Value.Constant(fallback)));
        }
        return new Mapping.FieldRule(name, source, type, required, setOnce);
    }

    private Mapping.Key key(Node node) {
        if (!(node instanceof MappingNode)) {
            return new Mapping.Key(reader.values(node), null, false);
        }
        Map<String, NodeTuple> spec = entries(node, Set.of("from", "join", "tenantPrefix"), "key");
        if (spec == null) {
            return null;
        }
        boolean tenantPrefix = spec.containsKey("tenantPrefix") && reader.bool(spec.get("tenantPrefix").getValueNode());
        if (spec.containsKey("from") == spec.containsKey("join")) {
            issue(node, "a key takes either from (the first present) or join (all, joined with ':')");
            return null;
        }
        if (spec.containsKey("from")) {
            return new Mapping.Key(reader.values(spec.get("from").getValueNode()), null, tenantPrefix);
        }
        List<Value> parts = new ArrayList<>();
        items(spec.get("join"), "join").forEach(part -> parts.add(reader.value(part)));
        if (parts.isEmpty()) {
            issue(node, "join names at least one field");
        }
        return new Mapping.Key(null, parts, tenantPrefix);
    }

    private Mapping.Lookup lookup(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("collection", "table", "when", "match", "copy", "missing",
                "mismatch"), "a lookup");
        if (spec == null) {
            return null;
        }
        // table: reads better in a PostgreSQL mapping; the two are the same
        NodeTuple named = spec.containsKey("collection") ? spec.get("collection") : spec.get("table");
        String collection = named != null ? reader.scalar(named.getValueNode(), "collection") : null;
        if (!CollectionNames.isValid(collection)) {
            issue(node, "a lookup needs a collection (or table): " + CollectionNames.rule());
        }
        Map<String, Value> match = match(node, spec);
        Map<String, String> copy = new LinkedHashMap<>();
        if (spec.containsKey("copy")) {
            Map<String, NodeTuple> copySpec = entries(spec.get("copy").getValueNode(), null, "copy");
            if (copySpec != null) {
                copySpec.forEach((target, tuple) -> {
                    reader.fieldName(tuple.getKeyNode(), target);
                    copy.put(target, reader.scalar(tuple.getValueNode(), "copy of " + target));
                });
            }
        }
        String missing = spec.containsKey("missing") ? reader.scalar(spec.get("missing").getValueNode(), "missing") : null;
        if (!RejectReason.isValid(missing)) {
            issue(node, "a lookup needs missing: the dead-letter reason when nothing is found, such as "
                    + "organization-not-found (lower-case words joined by '-')");
            missing = RejectReason.PROCESSING_ERROR.code();
        }
        Predicate when = spec.containsKey("when") ? reader.predicate(spec.get("when").getValueNode()) : null;
        return new Mapping.Lookup(collection, when, match, copy, new RejectReason(missing),
                spec.containsKey("mismatch") ? mismatch(spec.get("mismatch").getValueNode()) : null);
    }

    private Map<String, Value> match(Node node, Map<String, NodeTuple> spec) {
        Map<String, Value> match = new LinkedHashMap<>();
        Map<String, NodeTuple> matchSpec = spec.containsKey("match") ? entries(spec.get("match").getValueNode(), null, "match") : null;
        if (matchSpec == null || matchSpec.isEmpty()) {
            issue(node, "match names the fields of the looked-up record and the event values they equal");
        } else {
            matchSpec.forEach((field, tuple) -> match.put(field, reader.values(tuple.getValueNode())));
        }
        return match;
    }

    private Mapping.Mismatch mismatch(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("match", "reason"), "a lookup's mismatch");
        if (spec == null) {
            return null;
        }
        String reason = spec.containsKey("reason") ? reader.scalar(spec.get("reason").getValueNode(), "reason") : null;
        if (!RejectReason.isValid(reason)) {
            issue(node, "a mismatch needs reason: the dead-letter reason when only its match finds a record, such as "
                    + "agent-uid-mismatch");
            reason = RejectReason.PROCESSING_ERROR.code();
        }
        return new Mapping.Mismatch(match(node, spec), new RejectReason(reason));
    }

    private Mapping.Ledger ledger(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("amount", "sign", "type", "entry", "maxAmount", "maxScale",
                "balances"), "ledger");
        if (spec == null) {
            return null;
        }
        Value amount = spec.containsKey("amount") ? reader.values(spec.get("amount").getValueNode()) : new Value.Field("amount");
        String sign = spec.containsKey("sign") ? reader.scalar(spec.get("sign").getValueNode(), "sign") : null;
        Mapping.Sign parsedSign = switch (sign == null ? "" : sign) {
            case "positive" -> Mapping.Sign.POSITIVE;
            case "negative" -> Mapping.Sign.NEGATIVE;
            case "as-sent" -> Mapping.Sign.AS_SENT;
            default -> {
                issue(node, "ledger sign is positive, negative or as-sent" + (sign == null ? "" : ", not '" + sign + "'"));
                yield Mapping.Sign.AS_SENT;
            }
        };
        ValueType type = spec.containsKey("type") ? reader.type(spec.get("type").getValueNode()) : ValueType.DECIMAL;
        if (type != null && !Set.of(ValueType.DECIMAL, ValueType.LONG, ValueType.INT, ValueType.DOUBLE).contains(type)) {
            issue(spec.get("type").getValueNode(), "a ledger's type is decimal, long, int or double, not " + type.yamlName());
        }
        Value entry = spec.containsKey("entry") ? reader.values(spec.get("entry").getValueNode()) : null;
        ValueType limited = type == null ? ValueType.DECIMAL : type;
        BigDecimal maxAmount = spec.containsKey("maxAmount") ? maxAmount(spec.get("maxAmount").getValueNode(), limited)
                : Mapping.Ledger.DEFAULT_MAX_AMOUNT;
        int maxScale = spec.containsKey("maxScale") ? maxScale(spec.get("maxScale").getValueNode(), limited)
                : Mapping.Ledger.defaultMaxScale(limited);
        if (limited == ValueType.DECIMAL && maxAmount != null && digits(maxAmount) + maxScale > DECIMAL_DIGITS - HEADROOM) {
            issue(spec.containsKey("maxAmount") ? spec.get("maxAmount").getValueNode() : spec.get("maxScale").getValueNode(),
                    "a ledger's maxAmount (" + digits(maxAmount) + " digits before the point) and maxScale (" + maxScale
                    + ") need at most " + (DECIMAL_DIGITS - HEADROOM) + " digits together, so a balance of many such "
                    + "amounts still fits the " + DECIMAL_DIGITS + " digits of a decimal");
        }
        String balances = Mapping.Ledger.DEFAULT_BALANCES;
        if (spec.containsKey("balances")) {
            balances = reader.scalar(spec.get("balances").getValueNode(), "balances");
            if (balances != null && !CollectionNames.isValid(balances)) {
                issue(spec.get("balances").getValueNode(), "balances '" + balances + "': " + CollectionNames.rule());
            }
        }
        return new Mapping.Ledger(amount, parsedSign, type, entry, maxAmount == null ? Mapping.Ledger.DEFAULT_MAX_AMOUNT
                : maxAmount, maxScale, balances == null ? Mapping.Ledger.DEFAULT_BALANCES : balances);
    }

    // an IEEE decimal128's digits (MongoDB's Decimal128), and those a balance keeps free for its sum: at least 10^6 movements of the largest amount
    private static final int DECIMAL_DIGITS = 34;
    private static final int HEADROOM = 6;

    private static int digits(BigDecimal value) {
        return Math.max(1, value.precision() - value.scale());
    }

    /** A positive number the type holds; null (after an issue) otherwise. */
    private BigDecimal maxAmount(Node node, ValueType type) {
        String text = reader.scalar(node, "maxAmount");
        if (text == null) {
            return null;
        }
        BigDecimal max;
        try {
            max = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            max = null;
        }
        if (max == null || max.signum() <= 0) {
            issue(node, "a ledger's maxAmount is a positive number, the largest absolute amount accepted, not '"
                    + text + "'");
            return null;
        }
        try {
            type.convert(max, "maxAmount");
        } catch (RuntimeException e) {
            issue(node, "a ledger's maxAmount of " + max.toPlainString() + " is more than its type (" + type.yamlName() + ") holds");
            return null;
        }
        return max;
    }

    /** A whole number of decimal places: 0 for the integer types, at most 34 otherwise. */
    private int maxScale(Node node, ValueType type) {
        String text = reader.scalar(node, "maxScale");
        if (text == null) {
            return Mapping.Ledger.defaultMaxScale(type);
        }
        int scale;
        try {
            scale = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            scale = -1;
        }
        boolean whole = type == ValueType.LONG || type == ValueType.INT;
        if (scale < 0 || scale > DECIMAL_DIGITS || (whole && scale != 0)) {
            issue(node, "a ledger's maxScale is the most decimal places an amount may carry: "
                    + (whole ? "0 for a " + type.yamlName() : "a whole number from 0 to " + DECIMAL_DIGITS)
                    + ", not '" + text + "'");
            return Mapping.Ledger.defaultMaxScale(type);
        }
        return scale;
    }

    private Map<String, NodeTuple> entries(Node node, Set<String> allowed, String what) {
        return Yamls.entries(node, allowed, what, this::issue);
    }

    private List<Node> items(NodeTuple tuple, String what) {
        return Yamls.items(tuple, what, this::issue);
    }

    private void issue(Node node, String message) {
        issues.add(new Issue(line(node), message));
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
