package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.MappingParser;
import io.crmsync.core.mapping.Mappings;
import org.apache.camel.CamelContext;

/**
 * The {@code *.mapping.yaml} files beside the routes: parsed, checked against each other (an id is declared once), and
 * put in effect a whole file at a time.
 */
final class MappingFiles {

    /** A file's mappings, or why it cannot be used. */
    record Checked(RouteFile file, List<Mapping> mappings, Map<String, String> types, Map<String, String> aliases,
            List<Problem> problems) {
        boolean valid() {
            return problems.isEmpty();
        }

        void applyTo(Mappings mappings) {
            mappings.replace(file.name(), file.hash(), this.mappings, types, aliases);
        }
    }

    private MappingFiles() {
    }

    static Map<String, RouteFile> read(Path dir) throws IOException {
        return RouteFile.readDirectory(dir, RouteFile.MAPPINGS_GLOB);
    }

    /** Parses one file, its ids checked against those {@code others} has from other files. */
    static Checked check(RouteFile file, CamelContext camel, Mappings others) {
        MappingParser.Result result = new MappingParser(camel).parse(file.name(), file.content());
        List<Problem> problems = new ArrayList<>();
        result.issues().forEach(issue -> problems.add(new Problem(file.name(), issue.line(), issue.message())));
        for (Mapping mapping : result.mappings()) {
            String declaring = others.fileDeclaring(mapping.id(), file.name());
            if (declaring != null) {
                problems.add(new Problem(file.name(), line(mapping), "mapping id '" + mapping.id()
                        + "' is already declared in " + declaring));
            }
        }
        result.types().forEach((type, id) -> {
            String handling = others.fileHandling(type, file.name());
            if (handling != null) {
                problems.add(new Problem(file.name(), result.mappings().stream().filter(m -> m.id().equals(id))
                        .findFirst().map(MappingFiles::line).orElse(0), "event type " + type
                        + " is already handled by a mapping of " + handling));
            }
        });
        return new Checked(file, result.mappings(), result.types(), result.aliases(), problems);
    }

    /** Every mapping file of a directory into {@code into}; the problems of the files that could not be used. */
    static List<Problem> loadAll(Path dir, CamelContext camel, Mappings into) throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (RouteFile file : read(dir).values()) {
            Checked checked = check(file, camel, into);
            if (checked.valid()) {
                checked.applyTo(into);
            }
            problems.addAll(checked.problems());
        }
        return problems;
    }

    private static int line(Mapping mapping) {
        String origin = mapping.origin();
        return Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
    }
}
