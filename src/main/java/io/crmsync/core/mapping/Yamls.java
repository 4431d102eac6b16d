package io.crmsync.core.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML node helpers for files read with line numbers: the mapping and route-test files.
 */
public final class Yamls {

    private Yamls() {
    }

    /** A YAML file that cannot be read: the message, and the 1-based line SnakeYAML points at (0 when none). */
    public static final class SyntaxError extends Exception {
        private final int line;

        SyntaxError(String message, int line) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** The file's node tree, keeping each node's line; null for an empty file. */
    public static Node compose(String content) throws SyntaxError {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(content));
        } catch (RuntimeException e) {
            int line = e instanceof MarkedYAMLException marked && marked.getProblemMark() != null
                    ? marked.getProblemMark().getLine() + 1 : 0;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
            throw new SyntaxError("not valid YAML: " + message, line);
        }
    }

    /**
     * The entries of a YAML map by key, in file order; a key twice or outside {@code allowed} (null: any) is an issue.
     *
     * @return null, after an issue, when the node is not a map
     */
    public static Map<String, NodeTuple> entries(Node node, Set<String> allowed, String what, BiConsumer<Node, String> issue) {
        if (!(node instanceof MappingNode map)) {
            issue.accept(node, what + " is a map of names to values");
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null) {
                issue.accept(tuple.getKeyNode(), "a key of " + what + " is not a name");
            } else if (entries.containsKey(key)) {
                issue.accept(tuple.getKeyNode(), "'" + key + "' is given twice in " + what);
            } else if (allowed != null && !allowed.contains(key)) {
                issue.accept(tuple.getKeyNode(), "unknown option '" + key + "' in " + what + " (options: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            } else {
                entries.put(key, tuple);
            }
        }
        return entries;
    }

    /** The items of a YAML list; none when absent, and an issue when the value is not a list. */
    public static List<Node> items(NodeTuple tuple, String what, BiConsumer<Node, String> issue) {
        if (tuple == null) {
            return List.of();
        }
        if (tuple.getValueNode() instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        issue.accept(tuple.getValueNode(), what + " is a list");
        return List.of();
    }

    /** A node as plain Java: String, Long, Double, Boolean, null, List or Map, by its YAML tag. */
    public static Object plain(Node node) {
        if (node instanceof ScalarNode scalar) {
            String text = scalar.getValue();
            Tag tag = scalar.getTag();
            try {
                if (Tag.NULL.equals(tag)) {
                    return null;
                } else if (Tag.BOOL.equals(tag)) {
                    // YAML 1.1, as SnakeYAML reads it: yes, on and true are true; no, off and false are false
                    return Set.of("true", "yes", "on", "y").contains(text.toLowerCase(java.util.Locale.ROOT));
                } else if (Tag.INT.equals(tag) && text.length() > 1 && text.startsWith("0")) {
                    return text; // 0123 is an id or a code, not an octal number
                } else if (Tag.INT.equals(tag)) {
                    long value = Long.parseLong(text.replace("_", ""));
                    return value == (int) value ? (Object) (int) value : (Object) value;
                } else if (Tag.FLOAT.equals(tag)) {
                    return Double.parseDouble(text.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                return text; // 0x1F and the like: kept as written
            }
            return text;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            sequence.getValue().forEach(item -> list.add(plain(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            map.put(String.valueOf(plain(tuple.getKeyNode())), plain(tuple.getValueNode()));
        }
        return map;
    }
}
