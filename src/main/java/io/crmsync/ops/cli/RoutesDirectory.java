package io.crmsync.ops.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.crmsync.routes.RoutesValidator;

/**
 * The {@code [dir]} argument of the commands that work on a routes directory: ROUTES_DIR, else ./routes, when none.
 */
final class RoutesDirectory {

    private RoutesDirectory() {
    }

    /** @return the directory, or null after saying why on {@code err} (a usage error, exit 2) */
    static Path of(String command, String[] args, PrintStream err) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            err.println("Usage: java -jar crm-sync.jar " + command + " [routes-dir]");
            return null;
        }
        Path dir = args.length == 1 ? Path.of(args[0]) : RoutesValidator.defaultDirectory();
        if (!Files.isDirectory(dir)) {
            err.println("Not a directory: " + dir);
            return null;
        }
        return dir;
    }
}
