package io.crmsync.routetest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import io.crmsync.stores.mongodb.Collections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code test [dir]}: the route tests of a routes directory ({@code *.test.yaml}, docs/route-tests.md), run against
 * the app itself with that directory's routes and mappings, on a redis-server and a MongoDB server it starts. Offline
 * and self-contained, for CI: the exit code is 0 when every test passes.
 */
public final class RouteTests {

    static final String GLOB = "*.test.yaml";

    private final PrintStream out;

    public RouteTests(PrintStream out) {
        this.out = out;
    }

    /** @return 0 all passed, 1 any failed or could not be read */
    public int run(Class<?> application, Path dir) throws Exception {
        Map<String, String> files = read(dir);
        List<RouteTest> tests = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        files.forEach((name, content) -> {
            RouteTestFile.Parsed parsed = RouteTestFile.parse(name, content);
            tests.addAll(parsed.tests());
            unreadable.addAll(parsed.problems());
        });
        unreadable.forEach(problem -> out.println("ERROR " + problem));
        if (tests.isEmpty()) {
            out.println("No route tests in " + dir + " (" + GLOB + ")");
            return 1;
        }
        int passed = 0;
        try (EmbeddedRedis redis = EmbeddedRedis.start(); EmbeddedMongo mongo = EmbeddedMongo.start();
                ConfigurableApplicationContext app = start(application, dir, redis, mongo)) {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RouteTestRunner runner = new RouteTestRunner(app.getBean(Collections.class),
                        connection.sync(), app.getEnvironment().getProperty("crm.dead-letter.stream", "crm:dlq"),
                        Duration.ofSeconds(30));
                for (RouteTest test : tests) {
                    List<String> failures = runner.run(test);
                    if (failures.isEmpty()) {
                        passed++;
                        out.println("PASS " + test.origin() + " " + test.name());
                    } else {
                        out.println("FAIL " + test.origin() + " " + test.name());
                        failures.forEach(f -> out.println("       " + f));
                    }
                }
            } finally {
                client.shutdown();
            }
        }
        int failed = tests.size() - passed;
        out.printf("Route tests in %s: %d passed, %d failed%s%n", dir, passed, failed,
                unreadable.isEmpty() ? "" : ", " + unreadable.size() + " problem(s) in test files");
        return failed == 0 && unreadable.isEmpty() ? 0 : 1;
    }

    /** The app as it runs in production, with the directory's routes, fast retries and nothing cached between tests. */
    private static ConfigurableApplicationContext start(Class<?> application, Path dir, EmbeddedRedis redis, EmbeddedMongo mongo) {
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        // as arguments: they take precedence over application.yaml and the environment, as they must here
        Map<String, String> settings = Map.ofEntries(
                Map.entry("crm.redis-url", redis.url()),
                Map.entry("crm.mongodb-uri", mongo.uri("crm")),
                Map.entry("crm.routes.dir", dir.toString()),
                Map.entry("crm.routes.watch.enabled", "false"),
                Map.entry("crm.consumer-name", "route-tests"),
                Map.entry("crm.streams.block-time", "100ms"),
                Map.entry("crm.retry.attempts", "1"),
                Map.entry("crm.retry.delay", "10"),
                Map.entry("crm.retry.max-delay", "50"),
                Map.entry("crm.retry.enrichment-attempts", "2"),
                Map.entry("crm.enrichment.cache-ttl", "0s"),
                Map.entry("crm.tenants.refresh-interval", "500ms"),
                Map.entry("logging.level.root", "WARN"),
                // a test that expects a dead letter makes the app log the failure: the verdict is what this prints
                Map.entry("logging.level.org.apache.camel", "OFF"),
                Map.entry("logging.level.io.crmsync", "ERROR"),
                Map.entry("logging.level.de.bwaldvogel", "ERROR"),
                Map.entry("logging.level.io.lettuce", "ERROR"),
                Map.entry("logging.level.io.micrometer", "ERROR"));
        return app.run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(dir, GLOB)) {
            for (Path path : paths) {
                files.put(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
