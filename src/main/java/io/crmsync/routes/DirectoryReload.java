package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.crmsync.core.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the running routes in line with the routes directory, one file at a time. A scan compares content hashes
 * with what is applied, so it does not matter which events (if any) the file system sent. Each new or changed file
 * is validated against the files in effect and only then applied; a rejected file is logged once per content and
 * its previous routes, if any, keep running. Not thread-safe: the watcher calls it from one thread.
 */
final class DirectoryReload {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReload.class);

    private final Path dir;
    private final RoutesValidator validator;
    private final RoutesReloader reloader;
    private final ReloadMetrics metrics;
    private final Mappings mappings;
    private final MappingReload mappingReload;
    // what each file put in the app; the basis of every comparison and the content a rollback goes back to
    private final Map<String, ParsedRoutes> applied = new LinkedHashMap<>();
    // file name -> hash of the content that was rejected, so the same broken content is not re-tried every scan
    private final Map<String, String> rejected = new HashMap<>();
    private boolean warnedEmpty;
    // names and hashes of every file at the last scan: when they change, rejected files are tried again
    private Map<String, String> lastContents = Map.of();

    DirectoryReload(Path dir, RoutesValidator validator, RoutesReloader reloader, ReloadMetrics metrics,
            Mappings mappings, CamelContext camel) {
        this.dir = dir;
        this.validator = validator;
        this.reloader = reloader;
        this.metrics = metrics;
        this.mappings = mappings;
        this.mappingReload = new MappingReload(mappings, camel, validator, metrics);
    }

    /** Records what the app loaded at start-up as applied. */
    void init() {
        Map<String, RouteFile> files;
        try {
            files = RouteFile.readDirectory(dir);
        } catch (IOException e) {
            // not fatal: the app runs what Camel loaded, and files appearing later are picked up by the re-scan
            LOG.warn("Cannot read routes directory {} ({}); its files are applied once it can be read", dir, e.toString());
            return;
        }
        for (RouteFile file : files.values()) {
            RoutesValidator.Result parsed = validator.parse(file);
            if (parsed.valid()) {
                applied.put(file.name(), parsed.parsed());
            }
        }
        LOG.info("Watching {} for route changes ({} files)", dir.toAbsolutePath(), applied.size());
    }

    void scan() {
        Map<String, RouteFile> current;
        Map<String, RouteFile> currentMappings;
        try {
            current = RouteFile.readDirectory(dir);
            currentMappings = MappingFiles.read(dir);
        } catch (IOException e) {
            LOG.warn("Cannot read routes directory {}: {}; running routes are unchanged", dir, e.toString());
            return;
        }
        // an empty or unmounted directory is far likelier a deployment mistake than a wish to stop every consumer
        if (current.isEmpty() && !applied.isEmpty()) {
            if (!warnedEmpty) {
                LOG.error("Routes directory {} has no *.camel.yaml files; keeping the {} running files' routes", dir, applied.size());
                warnedEmpty = true;
            }
            return;
        }
        warnedEmpty = false;
        // any change in the directory: a file refused for another's sake (a mapping and its routes renamed together,
        // written one after the other) is tried again with the others as they are now
        Map<String, String> contents = new java.util.TreeMap<>();
        current.forEach((name, file) -> contents.put(name, file.hash()));
        currentMappings.forEach((name, file) -> contents.put(name, file.hash()));
        boolean retry = !contents.equals(lastContents);
        lastContents = contents;
        if (retry) {
            mappingReload.retryRejected();
        }
        // mappings first, so a new route may name a mapping added with it
        mappingReload.scan(currentMappings, applied.values(), current);
        // a rejected file that is gone, or back to the content that runs, is no longer a problem
        rejected.keySet().removeIf(name -> !current.containsKey(name) || isApplied(current.get(name)));
        for (String name : List.copyOf(applied.keySet())) {
            if (!current.containsKey(name)) {
                apply(name, applied.get(name), null);
            }
        }
        // files defining route configurations first, so a new route may use a configuration added with it
        List<RouteFile> changedFiles = current.values().stream()
                .filter(f -> !isApplied(f) && (retry || !f.hash().equals(rejected.get(f.name()))))
                .sorted(Comparator.comparing((RouteFile f) -> !f.content().contains("routeConfiguration:")))
                .toList();
        for (RouteFile file : changedFiles) {
            RoutesValidator.Result result = validator.validate(file, others(file.name()), mappings);
            if (result.valid()) {
                apply(file.name(), applied.get(file.name()), result.parsed());
            } else {
                // the reasons first: whoever sees the failure counted must find them in the log
                result.problems().forEach(p -> LOG.error("Rejected routes file {}", p));
                reject(file, applied.containsKey(file.name()) ? "its previous routes keep running" : "nothing was added");
            }
        }
        // the routes that named retired mappings are replaced by now
        mappings.dropRetired();
        metrics.invalidFiles(rejected.size() + mappingReload.rejectedFiles());
    }

    private void apply(String name, ParsedRoutes previous, ParsedRoutes next) {
        try {
            reloader.replace(previous, next, dependents(name, previous, next));
            if (next == null) {
                applied.remove(name);
                LOG.warn("Routes file {} was deleted: its routes {} are stopped and removed", name, previous.routeIds());
                metrics.succeeded();
            } else {
                applied.put(name, next);
                rejected.remove(name);
                metrics.applied("routes file " + name, "routes " + next.routeIds());
            }
        } catch (Exception e) {
            if (next != null) {
                reject(next.file(), "its previous routes were put back");
            } else {
                metrics.failed();
            }
            LOG.error("Routes file {} could not be applied: {}", name, RoutesValidator.reason(e));
        }
    }

    private void reject(RouteFile file, String consequence) {
        rejected.put(file.name(), file.hash());
        metrics.failed();
        LOG.warn("Routes file {} rejected, {}", file.name(), consequence);
    }

    /** Files using a route configuration or template the change defines: their routes are built with it, so are rebuilt. */
    private List<RouteFile> dependents(String name, ParsedRoutes previous, ParsedRoutes next) {
        Set<String> configurations = new java.util.HashSet<>();
        if (previous != null) {
            configurations.addAll(previous.configurationIds());
        }
        if (next != null) {
            configurations.addAll(next.configurationIds());
        }
        Set<String> templates = new java.util.HashSet<>(next == null ? Set.of() : next.templateIds());
        if (previous != null) {
            templates.addAll(previous.templateIds());
        }
        if (next == null || (configurations.isEmpty() && templates.isEmpty())) {
            return List.of();
        }
        List<RouteFile> dependents = new ArrayList<>();
        for (ParsedRoutes other : others(name)) {
            Set<String> used = other.routes().stream().map(r -> r.getRouteConfigurationId())
                    .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
            // a route made from a changed template, or from any template using a changed configuration
            boolean fromTemplate = other.templated().stream().anyMatch(t -> templates.contains(t.getRouteTemplateRef()));
            if (used.stream().anyMatch(configurations::contains) || fromTemplate) {
                dependents.add(other.file());
            }
        }
        return dependents;
    }

    private boolean isApplied(RouteFile file) {
        ParsedRoutes current = applied.get(file.name());
        return current != null && current.file().hash().equals(file.hash());
    }

    private List<ParsedRoutes> others(String name) {
        return applied.values().stream().filter(p -> !p.file().name().equals(name)).toList();
    }
}
