package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.crmsync.core.mapping.Mappings;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.PropertyResolver;

/**
 * Validates routes files before anything running changes: the file is parsed and its endpoints resolved in a
 * throwaway {@link Sandbox}, then checked against the other files ({@link RouteChecks}). Used by the live reload
 * (one changed file against the running ones) and by the offline {@code validate} command (a whole directory).
 */
public final class RoutesValidator {

    // YAML DSL errors carry the position as "line 7, column 9"
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private final BeanCatalog beans;
    private final PropertyResolver properties;

    RoutesValidator(BeanCatalog beans, PropertyResolver properties) {
        this.beans = beans;
        this.properties = properties;
    }

    /**
     * For the offline command: the beans the app's classes under {@code basePackage} declare, and placeholders from
     * system properties, environment variables and application.yaml.
     */
    public static RoutesValidator offline(String basePackage) {
        return new RoutesValidator(new DeclaredBeanCatalog(basePackage), OfflineEnvironment.load());
    }

    /** For the running app: its own beans, and placeholders as its environment resolves them. */
    public static RoutesValidator forApp(org.springframework.beans.factory.ListableBeanFactory beans,
            PropertyResolver environment) {
        return new RoutesValidator(new SpringBeanCatalog(beans), environment);
    }

    /** The routes directory the app would load: {@link RoutesProperties#dir()}, bound as the app binds it. */
    public static Path defaultDirectory() {
        return Binder.get(OfflineEnvironment.load()).bindOrCreate("crm.routes", RoutesProperties.class).dir();
    }

    /**
     * @param parsed   the file's definitions, null when it could not be parsed
     * @param problems empty when the file may replace the running routes
     */
    record Result(ParsedRoutes parsed, List<Problem> problems) {
        boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Parsing only: what the app already runs is known to be valid, only its definitions are needed. */
    Result parse(RouteFile file) {
        try (Sandbox sandbox = new Sandbox(properties, null)) {
            return parse(sandbox, file);
        }
    }

    /** One file against the files already in effect, its store endpoints against these mappings. */
    Result validate(RouteFile file, Collection<ParsedRoutes> others, Mappings mappings) {
        try (Sandbox sandbox = new Sandbox(properties, mappings)) {
            Result parsed = parse(sandbox, file);
            if (!parsed.valid()) {
                return parsed;
            }
            return new Result(parsed.parsed(), new RouteChecks(sandbox, beans).check(parsed.parsed(), others));
        }
    }

    /**
     * Every {@code *.mapping.yaml} and {@code *.camel.yaml} of a directory, each against all the others; problems
     * in file order, mapping files first.
     */
    public List<Problem> validateDirectory(Path dir) throws IOException {
        Map<String, RouteFile> files = RouteFile.readDirectory(dir);
        Mappings mappings = new Mappings();
        List<Problem> problems = new ArrayList<>();
        try (Sandbox languages = new Sandbox(properties, null)) {
            problems.addAll(MappingFiles.loadAll(dir, languages.context(), mappings));
        }
        try (Sandbox sandbox = new Sandbox(properties, mappings)) {
            Map<String, ParsedRoutes> parsed = new LinkedHashMap<>();
            for (RouteFile file : files.values()) {
                Result result = parse(sandbox, file);
                problems.addAll(result.problems());
                if (result.valid()) {
                    parsed.put(file.name(), result.parsed());
                }
            }
            RouteChecks checks = new RouteChecks(sandbox, beans);
            for (ParsedRoutes file : parsed.values()) {
                List<ParsedRoutes> others = parsed.values().stream().filter(p -> p != file).toList();
                problems.addAll(checks.check(file, others));
            }
        }
        return problems;
    }

    /** Routes files and mapping files. */
    public static int filesIn(Path dir) throws IOException {
        return RouteFile.readDirectory(dir).size() + MappingFiles.read(dir).size();
    }

    private static Result parse(Sandbox sandbox, RouteFile file) {
        try {
            return new Result(sandbox.parse(file), List.of());
        } catch (Exception e) {
            String reason = reason(e);
            Matcher position = POSITION.matcher(reason);
            int line = position.find() ? Integer.parseInt(position.group(1)) : 0;
            return new Result(null, List.of(new Problem(file.name(), line, summary(reason))));
        }
    }

    /** The innermost message that says something: Camel wraps YAML errors in "Failed to create route ..." layers. */
    static String reason(Throwable error) {
        String reason = error.getClass().getSimpleName();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        return reason;
    }

    /** YAML errors span lines (what, where, an excerpt, a caret); the unindented lines are the ones that say what. */
    static String summary(String text) {
        List<String> said = text.strip().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
        return said.isEmpty() ? text.strip() : String.join(": ", said);
    }
}
