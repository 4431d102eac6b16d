package io.crmsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout the README's Layout section describes: the core imports nothing from the edges, sources and stores are
 * plug-ins that do not know one another, and no two packages depend on each other. Read from the sources' imports
 * and qualified names (comments left out), so it needs no bytecode tool.
 */
class LayoutTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.crmsync((?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    /** package -> the io.crmsync packages its classes name */
    private static final Map<String, Set<String>> uses = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = unit("io.crmsync" + packageSuffix(MAIN.relativize(file.getParent()).toString()));
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
                Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    String target = unit("io.crmsync" + m.group(1));
                    if (!target.equals(pkg)) {
                        used.add(target);
                    }
                }
            }
        }
    }

    /**
     * The redis-streams component counts as one package: like camel-kafka's, its consumer and client subpackages and
     * its endpoint know one another, and nothing outside it sees that.
     */
    private static String unit(String pkg) {
        return within(pkg, COMPONENT) ? COMPONENT : pkg;
    }

    private static final String COMPONENT = "io.crmsync.camel.redisstreams";

    private static String packageSuffix(String dir) {
        String dotted = dir.replace('/', '.').replace('\\', '.');
        return dotted.equals("io.crmsync") ? "" : dotted.substring("io.crmsync".length());
    }

    @Test
    void theCoreImportsNothingFromSourcesStoresOrTheEdges() {
        assertThat(violations("io.crmsync.core", "io.crmsync.sources", "io.crmsync.stores", "io.crmsync.ops",
                "io.crmsync.config", "io.crmsync.startup", "io.crmsync.routes", "io.crmsync.routetest", "io.crmsync.demo",
                "io.crmsync.embedded", "io.crmsync.camel")).isEmpty();
    }

    @Test
    void storesDoNotKnowSourcesNorEachOther() {
        assertThat(violations("io.crmsync.stores", "io.crmsync.sources", "io.crmsync.camel", "io.crmsync.ops",
                "io.crmsync.config", "io.crmsync.routes")).isEmpty();
        assertThat(violations("io.crmsync.stores.mongodb", "io.crmsync.stores.postgres")).isEmpty();
        assertThat(violations("io.crmsync.stores.postgres", "io.crmsync.stores.mongodb")).isEmpty();
    }

    @Test
    void sourcesDoNotKnowStores() {
        assertThat(violations("io.crmsync.sources", "io.crmsync.stores", "io.crmsync.ops", "io.crmsync.config",
                "io.crmsync.routes")).isEmpty();
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        assertThat(cycles()).isEmpty();
    }

    private static List<String> violations(String from, String... forbidden) {
        List<String> found = new ArrayList<>();
        uses.forEach((pkg, targets) -> {
            if (within(pkg, from)) {
                for (String target : targets) {
                    for (String f : forbidden) {
                        if (within(target, f)) {
                            found.add(pkg + " -> " + target);
                        }
                    }
                }
            }
        });
        return found;
    }

    private static boolean within(String pkg, String prefix) {
        return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
    }

    /** Tarjan's strongly connected components of more than one package. */
    private static List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String pkg : uses.keySet()) {
            if (!index.containsKey(pkg)) {
                connect(pkg, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String pkg, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            List<Set<String>> found) {
        index.put(pkg, index.size());
        low.put(pkg, index.get(pkg));
        stack.push(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, found);
                low.put(pkg, Math.min(low.get(pkg), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(pkg, Math.min(low.get(pkg), index.get(next)));
            }
        }
        if (low.get(pkg).equals(index.get(pkg))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(pkg));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
