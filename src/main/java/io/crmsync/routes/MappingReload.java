package io.crmsync.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the mappings in effect in line with the {@code *.mapping.yaml} files, a whole file at a time. A new or
 * changed file is parsed and checked, then every running routes file that has store endpoints is validated again
 * against the mappings as they would be; only if all of that passes does the file take effect. A rejected file is
 * logged once per content, and the mappings it would have replaced stay in effect.
 */
final class MappingReload {

    private static final Logger LOG = LoggerFactory.getLogger(MappingReload.class);

    private final Mappings mappings;
    private final CamelContext camel;
    private final RoutesValidator validator;
    private final ReloadMetrics metrics;
    private final Map<String, String> rejected = new HashMap<>();
    // deleted files whose mappings stay, because running routes use them: reported once, not at every scan
    private final Set<String> keptDeleted = new HashSet<>();
    private Map<String, RouteFile> routesOnDisk = Map.of();
    private boolean retry;

    MappingReload(Mappings mappings, CamelContext camel, RoutesValidator validator, ReloadMetrics metrics) {
        this.mappings = mappings;
        this.camel = camel;
        this.validator = validator;
        this.metrics = metrics;
    }

    /**
     * @param routes       the routes files in effect
     * @param routesOnDisk the routes files as they are now: a mapping change is checked against the version of a
     *                     routes file that this same scan applies next, so a mapping renamed in both files together
     *                     is not refused for the old route still naming the old id
     */
    void scan(Map<String, RouteFile> current, Collection<ParsedRoutes> routes, Map<String, RouteFile> routesOnDisk) {
        this.routesOnDisk = routesOnDisk;
        boolean retrying = retry;
        retry = false;
        if (retrying) {
            keptDeleted.clear();
        }
        rejected.keySet().removeIf(name -> !current.containsKey(name) || current.get(name).hash().equals(mappings.files().get(name)));
        keptDeleted.removeIf(current::containsKey);
        for (String name : mappings.files().keySet()) {
            if (!current.containsKey(name) && !keptDeleted.contains(name)) {
                List<Problem> problems = stillValid(new MappingFiles.Checked(new RouteFile(name, "", null), List.of(),
                        Map.of(), Map.of(), List.of()), routes);
                if (problems.isEmpty()) {
                    mappings.replace(name, null, List.of());
                    metrics.succeeded();
                    LOG.warn("Mapping file {} was deleted: its mappings are no longer in effect", name);
                } else {
                    keptDeleted.add(name);
                    // the reasons before the count, as for routes files: whoever sees the failure counted finds them logged
                    LOG.error("Mapping file {} was deleted, but running routes use its mappings: they stay in effect", name);
                    problems.forEach(p -> LOG.error("Mapping file {} is needed by {}", name, p));
                    metrics.failed();
                }
            }
        }
        for (RouteFile file : current.values()) {
            if (file.hash().equals(mappings.files().get(file.name())) || (!retrying && file.hash().equals(rejected.get(file.name())))) {
                continue;
            }
            MappingFiles.Checked checked = MappingFiles.check(file, camel, mappings);
            List<Problem> problems = checked.valid()
                    ? stillValid(checked, routes) : checked.problems();
            if (problems.isEmpty()) {
                checked.applyTo(mappings);
                metrics.applied("mapping file " + file.name(), "mappings " + mappings.idsOf(file.name()));
            } else {
                rejected.put(file.name(), file.hash());
                LOG.warn("Mapping file {} rejected, {}", file.name(), mappings.files().containsKey(file.name())
                        ? "its previous mappings stay in effect" : "nothing was added");
                problems.forEach(p -> LOG.error("Rejected mapping file {}", p));
                metrics.failed();
            }
        }
    }

    int rejectedFiles() {
        return rejected.size() + keptDeleted.size();
    }

    /** The directory changed: a file refused for another file's sake may now be fine, so this scan tries each again. */
    void retryRejected() {
        retry = true;
    }

    /** The running routes' problems if {@code file} had these mappings: a removed or incompatible mapping shows here. */
    private List<Problem> stillValid(MappingFiles.Checked next, Collection<ParsedRoutes> routes) {
        Mappings candidate = mappings.copy();
        next.applyTo(candidate);
        List<Problem> problems = new ArrayList<>();
        for (ParsedRoutes parsed : routes) {
            if (parsed.file().content().contains("crm-mongodb:")) {
                List<ParsedRoutes> others = routes.stream().filter(o -> o != parsed).toList();
                List<Problem> running = validator.validate(parsed.file(), others, candidate).problems();
                RouteFile onDisk = routesOnDisk.get(parsed.file().name());
                if (!running.isEmpty() && onDisk != null && !onDisk.hash().equals(parsed.file().hash())
                        && validator.validate(onDisk, others, candidate).valid()) {
                    continue; // its new version, applied next in this scan, works with these mappings
                }
                problems.addAll(running);
            }
        }
        return problems;
    }
}
