package io.crmsync.ops.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.crmsync.routes.RoutesValidator;
import io.crmsync.routetest.RouteTests;

/**
 * {@code test [dir]}: runs the route tests ({@code *.test.yaml}) of a routes directory against embedded servers.
 */
final class TestCommand implements Command {

    private final PrintStream out;
    private final PrintStream err;

    TestCommand() {
        this(System.out, System.err);
    }

    TestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String summary() {
        return "run the route tests (*.test.yaml) of [dir] (default ROUTES_DIR or ./routes) on embedded servers; exit 1 on any failure";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            err.println("Usage: java -jar crm-sync.jar test [routes-dir]");
            return 2;
        }
        Path dir = args.length == 1 ? Path.of(args[0]) : RoutesValidator.defaultDirectory();
        if (!Files.isDirectory(dir)) {
            err.println("Not a directory: " + dir);
            return 2;
        }
        return new RouteTests(out).run(application, dir);
    }
}
