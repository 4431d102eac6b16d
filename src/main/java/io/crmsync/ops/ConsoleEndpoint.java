package io.crmsync.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.crmsync.routes.Problem;
import io.crmsync.routes.RoutesValidator;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.util.URISupport;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/console}: what the web console (/console/) shows besides streams, records and dead letters: the
 * running routes with their status, each routes and mapping file of the directory with its validation state
 * (validated as the reloader would, against the files as they are on disk now), and each stream's recent lag and
 * throughput ({@link StreamHistory}).
 */
@Endpoint(id = "console")
class ConsoleEndpoint {

    private final CamelContext camel;
    private final RoutesValidator validator;
    private final Path directory;
    private final StreamHistory history;

    ConsoleEndpoint(CamelContext camel, RoutesValidator validator, Path directory, StreamHistory history) {
        this.camel = camel;
        this.validator = validator;
        this.directory = directory;
        this.history = history;
    }

    @ReadOperation
    Map<String, Object> console() throws Exception {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", route.getRouteId());
            String status = camel.getRouteController().getRouteStatus(route.getRouteId()).name();
            // a source whose server is not configured never starts, by design (autoStartup: "{{crm.kafka.enabled}}")
            row.put("status", !"Started".equals(status) && Boolean.FALSE.equals(route.isAutoStartup())
                    ? "off (not configured)" : status);
            // without its options, which are long (the CDC source has dozens) and may hold secrets
            row.put("from", URISupport.sanitizeUri(route.getEndpoint().getEndpointBaseUri()));
            row.put("source", route.getSourceLocationShort());
            routes.add(row);
        }
        Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".camel.yaml") || name.endsWith(".mapping.yaml"))
                    .forEach(name -> files.put(name, new ArrayList<>()));
        }
        for (Problem problem : validator.validateDirectory(directory)) {
            files.computeIfAbsent(problem.file(), f -> new ArrayList<>())
                    .add((problem.line() > 0 ? "line " + problem.line() + ": " : "") + problem.message());
        }
        List<Map<String, Object>> fileRows = new ArrayList<>();
        files.forEach((name, problems) -> fileRows.add(Map.of("file", name, "valid", problems.isEmpty(),
                "problems", problems)));
        return Map.of("directory", directory.toAbsolutePath().toString(), "routes", routes, "files", fileRows,
                "history", history.all());
    }
}
