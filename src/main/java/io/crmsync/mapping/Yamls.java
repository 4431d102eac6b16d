package io.crmsync.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

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
                    return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
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
