package io.crmsync.core.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import io.crmsync.core.write.ValueType;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Language;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the values of a mapping file: field names, event parts, constants and expressions in Camel's languages
 * (compiled here, once), joins, conditions, types. What it cannot read is an issue at its node's line.
 */
final class ValueReader {

    private static final Pattern FIELD = Pattern.compile("[^$.\\u0000]+");
    private static final Set<String> JOIN_KEYS = Set.of("join", "separator");

    private final CamelContext camel;
    private final BiConsumer<Node, String> issue;

    ValueReader(CamelContext camel, BiConsumer<Node, String> issue) {
        this.camel = camel;
        this.issue = issue;
    }

    /** A value, or a list of values of which the first present is taken. */
    Value values(Node node) {
        if (node instanceof SequenceNode sequence) {
            List<Value> choices = sequence.getValue().stream().map(this::value).toList();
            if (choices.isEmpty()) {
                issue(node, "an empty list names no value");
            }
            return choices.size() == 1 ? choices.get(0) : new Value.FirstOf(choices);
        }
        return value(node);
    }

    Value value(Node node) {
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
        if (spec != null && spec.containsKey("join")) {
            spec.keySet().stream().filter(k -> !JOIN_KEYS.contains(k)).forEach(k -> issue(spec.get(k).getKeyNode(),
                    "unknown option '" + k + "' of join (options: join, separator)"));
            return join(spec);
        }
        if (spec == null || spec.size() != 1) {
            issue(node, "a value is a field name, event.<part>, {constant: ...}, {join: [...]} or one expression such as "
                    + "{simple: ...}");
            return new Value.Constant(null);
        }
        Map.Entry<String, NodeTuple> only = spec.entrySet().iterator().next();
        if (only.getKey().equals("constant")) {
            return new Value.Constant(Yamls.plain(only.getValue().getValueNode()));
        }
        Value expression = expression(only.getKey(), only.getValue().getValueNode(), Set.of("constant"));
        return expression != null ? expression : new Value.Constant(null);
    }

    /** {@code join: [a, b]}, with {@code separator} (a space when not given) taken from the same map. */
    Value join(Map<String, NodeTuple> spec) {
        Node parts = spec.get("join").getValueNode();
        List<Value> values = parts instanceof SequenceNode list ? list.getValue().stream().map(this::value).toList() : List.of();
        if (values.isEmpty()) {
            issue(parts, "join takes a list of values, such as [firstName, lastName]");
        }
        String separator = " ";
        if (spec.containsKey("separator")) {
            Object given = Yamls.plain(spec.get("separator").getValueNode());
            if (given instanceof String text) {
                separator = text;
            } else {
                issue(spec.get("separator").getValueNode(), "separator is text, such as \", \"");
            }
        }
        return new Value.Join(values, separator);
    }

    Value expression(String languageName, Node node, Set<String> options) {
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

    Predicate predicate(Node node) {
        Map<String, NodeTuple> spec = entries(node, null, "when");
        if (spec == null || spec.size() != 1) {
            issue(node, "when is one condition: {present: x}, {absent: x}, or one in a Camel language, such as "
                    + "{simple: \"${header.eventType} == 'user.created'\"}");
            return null;
        }
        Map.Entry<String, NodeTuple> only = spec.entrySet().iterator().next();
        if (only.getKey().equals("present") || only.getKey().equals("absent")) {
            return new Presence(values(only.getValue().getValueNode()), only.getKey().equals("present"));
        }
        Language language = language(only.getKey(), only.getValue().getKeyNode(), Set.of("present", "absent"));
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

    Language language(String name, Node node, Set<String> options) {
        try {
            return camel.resolveLanguage(name);
        } catch (NoSuchLanguageException e) {
            issue(node, "unknown option '" + name + "'" + (options.isEmpty() ? "" : " (options: " + String.join(", ", options.stream().sorted().toList())
                    + ", or a Camel language such as simple)") + (options.isEmpty() ? ": not a Camel language on the class path" : ""));
            return null;
        }
    }

    ValueType type(Node node) {
        String name = scalar(node, "type");
        ValueType type = ValueType.of(name);
        if (type == null) {
            issue(node, "unknown type '" + name + "'; the types are " + String.join(", ",
                    java.util.Arrays.stream(ValueType.values()).map(ValueType::yamlName).toList()));
        }
        return type;
    }

    List<String> names(Node node) {
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

    void fieldName(Node node, String name) {
        if (name == null || !FIELD.matcher(name).matches()) {
            issue(node, "'" + name + "' is not a field name: no '$', '.' or NUL");
        }
    }

    String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue();
        }
        issue(node, what + " takes one value");
        return null;
    }

    boolean bool(Node node) {
        Object value = Yamls.plain(node);
        if (value instanceof Boolean b) {
            return b;
        }
        issue(node, "expected true or false");
        return false;
    }

    private Map<String, NodeTuple> entries(Node node, Set<String> allowed, String what) {
        return Yamls.entries(node, allowed, what, issue);
    }

    private void issue(Node node, String message) {
        issue.accept(node, message);
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
