package io.crmsync.ops.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import io.crmsync.routes.Problem;
import io.crmsync.routes.RoutesValidator;

/**
 * {@code validate [dir]}: lints a routes directory offline, for CI. Nothing is started and no server is contacted;
 * bean names come from the app's classes, placeholders from application.yaml and the environment.
 */
final class ValidateCommand implements Command {

    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand() {
        this(System.out, System.err);
    }

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "lint the *.camel.yaml and *.mapping.yaml of [dir] (default ROUTES_DIR or ./routes) offline; exit 1 on any problem";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Path dir = RoutesDirectory.of(name(), args, err);
        if (dir == null) {
            return 2;
        }
        int files = RoutesValidator.filesIn(dir);
        if (files == 0) {
            err.println("No *.camel.yaml or *.mapping.yaml in " + dir);
            return 1;
        }
        List<Problem> problems = RoutesValidator.offline(application.getPackageName()).validateDirectory(dir);
        problems.forEach(p -> out.println(dir.resolve(p.file()) + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message()));
        if (!problems.isEmpty()) {
            out.printf("%d problem(s) in %s%n", problems.size(), dir);
            return 1;
        }
        out.printf("%d routes and mapping file(s) in %s are valid%n", files, dir);
        return 0;
    }
}
