package io.crmsync.ops.cli;

import java.io.PrintStream;
import java.nio.file.Path;

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
        Path dir = RoutesDirectory.of(name(), args, err);
        return dir == null ? 2 : new RouteTests(out).run(application, dir);
    }
}
