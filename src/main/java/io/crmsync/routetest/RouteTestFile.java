package io.crmsync.routetest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.mapping.Yamls;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a {@code *.test.yaml} (format in docs/route-tests.md) into {@link RouteTest}s, or the problems that stop it,
 * each with its line.
 */
final class RouteTestFile {

    record Parsed(List<RouteTest> tests, List<String> problems) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final List<String> problems = new ArrayList<>();

    private RouteTestFile(String file) {
        this.file = file;
    }

    static Parsed parse(String file, String content) {
        return new RouteTestFile(file).parse(content);
    }

    private Parsed parse(String content) {
        Node root;
        try {
            root = Yamls.compose(content);
        } catch (Yamls.SyntaxError e) {
            return new Parsed(List.of(), List.of(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage()));
        }
        List<RouteTest> tests = new ArrayList<>();
        Map<String, NodeTuple> top = root == null ? null : entries(root, Set.of("tests"), "the file");
        if (top == null || !(top.get("tests") != null && top.get("tests").getValueNode() instanceof SequenceNode list)) {
            problem(root, "a route test file is 'tests:' and a list of tests");
            return new Parsed(List.of(), problems);
        }
        for (Node item : list.getValue()) {
            RouteTest test = test(item);
            if (test != null) {
                tests.add(test);
            }
        }
        return new Parsed(tests, problems);
    }

    private RouteTest test(Node node) {
        Map<String, NodeTuple> spec = entries(node, Set.of("name", "given", "entries", "expect"), "a test");
        if (spec == null) {
            return null;
        }
        int before = problems.size();
        String name = spec.containsKey("name") ? text(spec.get("name").getValueNode()) : null;
        if (name == null) {
            problem(node, "a test needs a name: what it shows");
        }
        List<RouteTest.Entry> entries = new ArrayList<>();
        for (Node entry : items(spec.get("entries"), "entries")) {
            Map<String, NodeTuple> e = entries(entry, Set.of("stream", "fields"), "an entry");
            if (e != null && e.containsKey("stream") && e.containsKey("fields")) {
                entries.add(new RouteTest.Entry(text(e.get("stream").getValueNode()), fields(e.get("fields").getValueNode())));
            } else if (e != null) {
                problem(entry, "an entry has a stream and fields");
            }
        }
        if (entries.isEmpty()) {
            problem(node, "a test publishes at least one entry");
        }
        Map<String, List<Map<String, Object>>> given = spec.containsKey("given")
                ? documents(spec.get("given").getValueNode(), "given") : Map.of();
        Map<String, List<Map<String, Object>>> documents = Map.of();
        List<RouteTest.DeadLetter> deadLetters = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        if (spec.containsKey("expect")) {
            Map<String, NodeTuple> expect = entries(spec.get("expect").getValueNode(),
                    Set.of("documents", "deadLetters", "outcomes"), "expect");
            if (expect != null) {
                documents = expect.containsKey("documents") ? documents(expect.get("documents").getValueNode(), "documents") : Map.of();
                for (Node letter : items(expect.get("deadLetters"), "deadLetters")) {
                    Map<String, NodeTuple> d = entries(letter, Set.of("entry", "reason", "error"), "a dead letter");
                    if (d != null && d.containsKey("reason")) {
                        Object entry = d.containsKey("entry") ? Yamls.plain(d.get("entry").getValueNode()) : 0;
                        deadLetters.add(new RouteTest.DeadLetter(entry instanceof Integer i ? i : 0,
                                text(d.get("reason").getValueNode()), d.containsKey("error") ? text(d.get("error").getValueNode()) : null));
                    } else if (d != null) {
                        problem(letter, "a dead letter names its reason");
                    }
                }
                items(expect.get("outcomes"), "outcomes").forEach(o -> outcomes.add(text(o)));
            }
        } else {
            problem(node, "a test needs expect: documents, deadLetters or outcomes");
        }
        if (!outcomes.isEmpty() && outcomes.size() != entries.size()) {
            problem(node, "outcomes lists one status per entry: " + entries.size() + " entries, " + outcomes.size() + " outcomes");
        }
        return problems.size() > before ? null : new RouteTest(name, file + ":" + line(node), given, entries, documents,
                deadLetters, outcomes);
    }

    /** Entry fields as a stream entry holds them: text, with a map or list sent as its JSON. */
    private Map<String, String> fields(Node node) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, NodeTuple> spec = entries(node, null, "fields");
        if (spec != null) {
            spec.forEach((name, tuple) -> {
                Node value = tuple.getValueNode();
                try {
                    fields.put(name, value instanceof ScalarNode scalar ? scalar.getValue()
                            : JSON.writeValueAsString(Yamls.plain(value)));
                } catch (JsonProcessingException e) {
                    problem(value, "field " + name + " cannot be written as JSON: " + e.getOriginalMessage());
                }
            });
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private Map<String, List<Map<String, Object>>> documents(Node node, String what) {
        Map<String, List<Map<String, Object>>> byCollection = new LinkedHashMap<>();
        Map<String, NodeTuple> spec = entries(node, null, what);
        if (spec != null) {
            spec.forEach((collection, tuple) -> {
                List<Map<String, Object>> documents = new ArrayList<>();
                for (Node document : items(tuple, what + " of " + collection)) {
                    if (document instanceof MappingNode && Yamls.plain(document) instanceof Map<?, ?> map && map.containsKey("_id")) {
                        documents.add((Map<String, Object>) map);
                    } else {
                        problem(document, "a document of " + collection + " is a map with its _id");
                    }
                }
                byCollection.put(collection, documents);
            });
        }
        return byCollection;
    }

    private Map<String, NodeTuple> entries(Node node, Set<String> allowed, String what) {
        return Yamls.entries(node, allowed, what, this::problem);
    }

    private List<Node> items(NodeTuple tuple, String what) {
        return Yamls.items(tuple, what, this::problem);
    }

    private String text(Node node) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue();
        }
        problem(node, "expected a value");
        return null;
    }

    private void problem(Node node, String message) {
        problems.add(file + (node == null ? "" : ":" + line(node)) + ": " + message);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
