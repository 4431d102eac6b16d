package io.crmsync.mapping;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.crmsync.event.RejectReason;
import io.crmsync.persistence.ValueType;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Language;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a {@code *.mapping.yaml} into {@link Mapping}s, refusing anything it does not know (an option, a value type, a
 * language, a collection name) with the line it is on. Expressions are compiled here, once, in the given context's
 * languages. The format is documented in docs/mappings.md.
 */
public final class MappingParser {

    /** One thing wrong, at a 1-based line. */
    public record Issue(int line, String message) {
    }

    public record Result(List<Mapping> mappings, List<Issue> issues) {
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern FIELD = Pattern.compile("[^$.\\u0000]+");
    private static final Set<String> MAPPING_KEYS = Set.of("key", "copy", "exclude", "fields", "tombstone", "lookup", "skip", "ledger");
    private static final Set<String> FIELD_KEYS = Set.of("from", "constant", "default", "type", "required", "onInsert");

    private final CamelContext camel;
    private final List<Issue> issues = new ArrayList<>();
    private String file;

    public MappingParser(CamelContext camel) {
        this.camel = camel;
    }

    public Result parse(String fileName, String content) {
        issues.clear();
        file = fileName;
        List<Mapping> mappings = new ArrayList<>();
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(content));
        } catch (RuntimeException e) {
            int line = e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null
                    ? marked.getProblemMark().getLine() + 1 : 0;
            return new Result(List.of(), List.of(new Issue(line, "not valid YAML: " + firstLine(e.getMessage()))));
        }
        if (root == null) {
            return new Result(List.of(), List.of(new Issue(1, "empty: a mapping file starts with 'mappings:'")));
        }
        Map<String, NodeTuple> top = entries(root, Set.of("mappings"), "the file");
        if (top != null && top.containsKey("mappings")) {
            Map<String, NodeTuple> byId = entries(top.get("mappings").getValueNode(), null, "mappings");
            if (byId != null) {
                byId.forEach((id, tuple) -> {
                    if (!ID.matcher(id).matches()) {
                        issue(tuple.getKeyNode(), "mapping id '" + id + "' must be letters, digits, '.', '_' or '-'");
                    } else {
                        Mapping mapping = mapping(id, tuple.getValueNode());
                        if (mapping != null) {
                            mappings.add(mapping);
                        }
                    }
                });
            }
        } else if (top != null) {
            issue(root, "a mapping file starts with 'mappings:'");
        }
        return new Result(issues.isEmpty() ? mappings : List.of(), List.copyOf(issues));
    }

    private Mapping mapping(String id, Node node) {
        int before = issues.size();
        Map<String, NodeTuple> spec = entries(node, MAPPING_KEYS, "mapping " + id);
        if (spec == null) {
            return null;
        }
        Mapping.Copy copy = Mapping.Copy.NONE;
        if (spec.containsKey("copy")) {
            String text = scalar(spec.get("copy").getValueNode(), "copy");
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
        Set<String> exclude = spec.containsKey("exclude") ? new LinkedHashSet<>(names(spec.get("exclude").getValueNode())) : Set.of();
        List<Mapping.FieldRule> fields = new ArrayList<>();
        if (spec.containsKey("fields")) {
            Map<String, NodeTuple> declared = entries(spec.get("fields").getValueNode(), null, "fields");
            if (declared != null) {
                declared.forEach((name, tuple) -> {
                    fieldName(tuple.getKeyNode(), name);
                    fields.add(field(name, tuple.getValueNode()));
                });
            }
        }
        Map<String, Object> tombstone = new LinkedHashMap<>();
        if (spec.containsKey("tombstone")) {
            Map<String, NodeTuple> flags = entries(spec.get("tombstone").getValueNode(), null, "tombstone");
            if (flags != null) {
                flags.forEach((name, tuple) -> {
                    fieldName(tuple.getKeyNode(), name);
                    tombstone.put(name, Yamls.plain(tuple.getValueNode()));
                });
            }
        }
        List<Mapping.Skip> skips = new ArrayList<>();
        for (Node item : items(spec.get("skip"), "skip")) {
            Map<String, NodeTuple> skip = entries(item, Set.of("when", "reason"), "a skip");
            if (skip != null) {
                String reason = skip.containsKey("reason") ? scalar(skip.get("reason").getValueNode(), "reason") : null;
                if (reason == null) {
                    issue(item, "a skip needs a reason: it is recorded with the event");
                }
                skips.add(new Mapping.Skip(skip.containsKey("when") ? predicate(skip.get("when").getValueNode()) : null, reason));
            }
        }
        List<Mapping.Lookup> lookups = new ArrayList<>();
        for (Node item : items(spec.get("lookup"), "lookup")) {
            lookups.add(lookup(item));
        }
        Mapping.Ledger ledger = spec.containsKey("ledger") ? ledger(spec.get("ledger").getValueNode()) : null;
        boolean skipsAlways = skips.stream().anyMatch(s -> s.when() == null);
        Mapping.Key key = null;
        if (spec.containsKey("key")) {
            key = key(spec.get("key").getValueNode());
        } else if (!skipsAlways) {
            issue(node, "mapping " + id + " has no key: which fields name the document");
        }
        if (issues.size() > before) {
            return null;
        }
        return new Mapping(id, file + ":" + line(node), key, copy, exclude, List.copyOf(fields), Map.copyOf(tombstone),
                List.copyOf(lookups), List.copyOf(skips), ledger);
    }

    private Mapping.FieldRule field(String name, Node node) {
        if (!(node instanceof MappingNode)) {
            return new Mapping.FieldRule(name, values(node), null, false, false);
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
                case "from" -> sources.add(values(value));
                case "constant" -> sources.add(new Value.Constant(Yamls.plain(value)));
                case "default" -> fallback = Yamls.plain(value);
                case "type" -> type = type(value);
                case "required" -> required = bool(value);
                case "onInsert" -> setOnce = bool(value);
                default -> {
                    Value expression = expression(option.getKey(), value, FIELD_KEYS);
                    if (expression != null) {
                        sources.add(expression);
                    }
                }
            }
        }
        if (sources.size() > 1) {
            issue(node, "field " + name + " takes one of from, constant or an expression, not several");
        }
        Value source = sources.isEmpty() ? new Value.Field(name) : sources.get(0);
        if (fallback != null) {
            source = new Value.FirstOf(List.of(source, new Value.Constant(fallback)));
        }
        return new Mapping.FieldRule(name, source, type, required, setOnce);
    }

    private Mapping.Key key(Node node) {
        if (!(node instanceof MappingNode)) {
            return new Mapping.Key(values(node), null, false);
        }
        Map<String, NodeTuple> spec = entries(node, Set.of("from", "join", "tenantPrefix"), "key");
        if (spec == null) {
            return null;
        }
        boolean tenantPrefix = spec.containsKey("tenantPrefix") && bool(spec.get("tenantPrefix").getValueNode());
        if (spec.containsKey("from") == spec.containsKey("join")) {
            issue(node, "a key takes either from (the first present) or join (all, joined with ':')");
            return null;
        }
        if (spec.containsKey("from")) {
            return new Mapping.Key(values(spec.get("from").getValueNode()), null, tenantPrefix);
        }
        List<Value> parts = new ArrayList<>();
        items(spec.get("join"), "join").forEach(part -> parts.add(value(part)));
        return new Mapping.Key(null, parts, tenantPrefix);
    }

    private Mapping.Lookup lookup(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("collection", "when", "match", "copy", "missing"), "a lookup");
        if (spec == null) {
            return null;
        }
        String collection = spec.containsKey("collection") ? scalar(spec.get("collection").getValueNode(), "collection") : null;
        if (!CollectionNames.isValid(collection)) {
            issue(node, "a lookup needs a collection: " + CollectionNames.rule());
        }
        Map<String, Value> match = new LinkedHashMap<>();
        Map<String, NodeTuple> matchSpec = spec.containsKey("match") ? entries(spec.get("match").getValueNode(), null, "match") : null;
        if (matchSpec == null || matchSpec.isEmpty()) {
            issue(node, "a lookup needs match: the fields of the looked-up document and the event values they equal");
        } else {
            matchSpec.forEach((field, tuple) -> match.put(field, values(tuple.getValueNode())));
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (spec.containsKey("copy")) {
            Map<String, NodeTuple> copySpec = entries(spec.get("copy").getValueNode(), null, "copy");
            if (copySpec != null) {
                copySpec.forEach((target, tuple) -> {
                    fieldName(tuple.getKeyNode(), target);
                    copy.put(target, scalar(tuple.getValueNode(), "copy of " + target));
                });
            }
        }
        String missing = spec.containsKey("missing") ? scalar(spec.get("missing").getValueNode(), "missing") : null;
        if (!RejectReason.isValid(missing)) {
            issue(node, "a lookup needs missing: the dead-letter reason when nothing is found, such as "
                    + "organization-not-found (lower-case words joined by '-')");
            missing = RejectReason.PROCESSING_ERROR.code();
        }
        Predicate when = spec.containsKey("when") ? predicate(spec.get("when").getValueNode()) : null;
        return new Mapping.Lookup(collection, when, match, copy, new RejectReason(missing));
    }

    private Mapping.Ledger ledger(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("amount", "sign", "type"), "ledger");
        if (spec == null) {
            return null;
        }
        Value amount = spec.containsKey("amount") ? values(spec.get("amount").getValueNode()) : new Value.Field("amount");
        String sign = spec.containsKey("sign") ? scalar(spec.get("sign").getValueNode(), "sign") : null;
        Mapping.Sign parsedSign = switch (sign == null ? "" : sign) {
            case "positive" -> Mapping.Sign.POSITIVE;
            case "negative" -> Mapping.Sign.NEGATIVE;
            case "as-sent" -> Mapping.Sign.AS_SENT;
            default -> {
                issue(node, "ledger sign is positive, negative or as-sent" + (sign == null ? "" : ", not '" + sign + "'"));
                yield Mapping.Sign.AS_SENT;
            }
        };
        ValueType type = spec.containsKey("type") ? type(spec.get("type").getValueNode()) : ValueType.DECIMAL;
        if (type != null && !Set.of(ValueType.DECIMAL, ValueType.LONG, ValueType.INT, ValueType.DOUBLE).contains(type)) {
            issue(spec.get("type").getValueNode(), "a ledger's type is decimal, long, int or double, not " + type.yamlName());
        }
        return new Mapping.Ledger(amount, parsedSign, type);
    }

    /** A value, or a list of values of which the first present is taken. */
    private Value values(Node node) {
        if (node instanceof SequenceNode sequence) {
            List<Value> choices = sequence.getValue().stream().map(this::value).toList();
            if (choices.isEmpty()) {
                issue(node, "an empty list names no value");
            }
            return choices.size() == 1 ? choices.get(0) : new Value.FirstOf(choices);
        }
        return value(node);
    }

    private Value value(Node node) {
        if (node instanceof ScalarNode scalar) {
            String name = scalar.getValue();
            if (name.startsWith("event.")) {
                String part = name.substring("event.".length());
                if (!Value.EventPart.PARTS.contains(part)) {
                    issue(node, "'" + name + "' is not a part of the event; the parts are event."
                            + String.join(", event.", Value.EventPart.PARTS));
                }
                return new Value.EventPart(part);
            }
            fieldName(node, name);
            return new Value.Field(name);
        }
        Map<String, NodeTuple> spec = entries(node, null, "a value");
        if (spec == null || spec.size() != 1) {
            issue(node, "a value is a field name, event.<part>, {constant: ...} or one expression such as {simple: ...}");
            return new Value.Constant(null);
        }
        Map.Entry<String, NodeTuple> only = spec.entrySet().iterator().next();
        if (only.getKey().equals("constant")) {
            return new Value.Constant(Yamls.plain(only.getValue().getValueNode()));
        }
        Value expression = expression(only.getKey(), only.getValue().getValueNode(), Set.of("constant"));
        return expression != null ? expression : new Value.Constant(null);
    }

    private Value expression(String languageName, Node node, Set<String> options) {
        Language language = language(languageName, node, options);
        String text = language == null ? null : scalar(node, languageName);
        if (text == null) {
            return null;
        }
        try {
            Expression expression = language.createExpression(text);
            expression.init(camel);
            return new Value.Expr(languageName, text, expression);
        } catch (RuntimeException e) {
            issue(node, languageName + " expression '" + text + "': " + firstLine(e.getMessage()));
            return null;
        }
    }

    private Predicate predicate(Node node) {
        Map<String, NodeTuple> spec = entries(node, null, "when");
        if (spec == null || spec.size() != 1) {
            issue(node, "when is one condition in a Camel language, such as {simple: \"${body.data[x]} == null\"}");
            return null;
        }
        Map.Entry<String, NodeTuple> only = spec.entrySet().iterator().next();
        Language language = language(only.getKey(), only.getValue().getKeyNode(), Set.of());
        String text = language == null ? null : scalar(only.getValue().getValueNode(), only.getKey());
        if (text == null) {
            return null;
        }
        try {
            Predicate predicate = language.createPredicate(text);
            predicate.init(camel);
            return predicate;
        } catch (RuntimeException e) {
            issue(only.getValue().getValueNode(), only.getKey() + " condition '" + text + "': " + firstLine(e.getMessage()));
            return null;
        }
    }

    private Language language(String name, Node node, Set<String> options) {
        try {
            return camel.resolveLanguage(name);
        } catch (NoSuchLanguageException e) {
            issue(node, "unknown option '" + name + "'" + (options.isEmpty() ? "" : " (options: " + String.join(", ", options.stream().sorted().toList())
                    + ", or a Camel language such as simple)") + (options.isEmpty() ? ": not a Camel language on the class path" : ""));
            return null;
        }
    }

    private ValueType type(Node node) {
        String name = scalar(node, "type");
        ValueType type = ValueType.of(name);
        if (type == null) {
            issue(node, "unknown type '" + name + "'; the types are " + String.join(", ",
                    java.util.Arrays.stream(ValueType.values()).map(ValueType::yamlName).toList()));
        }
        return type;
    }

    private Map<String, NodeTuple> entries(Node node, Set<String> allowed, String what) {
        return Yamls.entries(node, allowed, what, this::issue);
    }

    private List<Node> items(NodeTuple tuple, String what) {
        if (tuple == null) {
            return List.of();
        }
        if (tuple.getValueNode() instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        issue(tuple.getValueNode(), what + " is a list");
        return List.of();
    }

    private List<String> names(Node node) {
        List<String> names = new ArrayList<>();
        List<Node> nodes = node instanceof SequenceNode sequence ? sequence.getValue() : List.of(node);
        for (Node item : nodes) {
            String name = scalar(item, "a field name");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private void fieldName(Node node, String name) {
        if (name == null || !FIELD.matcher(name).matches()) {
            issue(node, "'" + name + "' is not a field name: no '$', '.' or NUL");
        }
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue();
        }
        issue(node, what + " takes one value");
        return null;
    }

    private boolean bool(Node node) {
        Object value = Yamls.plain(node);
        if (value instanceof Boolean b) {
            return b;
        }
        issue(node, "expected true or false");
        return false;
    }

    private void issue(Node node, String message) {
        issues.add(new Issue(line(node), message));
    }

    private static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
