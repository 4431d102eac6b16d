package io.crmsync.ops.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value}, {@code --name=value} and {@code --flag}; anything else is a positional argument. An option
 * the command does not know is a usage error, not something silently ignored.
 */
final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    Options(String[] args, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && value == null) {
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    String get(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Integer integer(String name) {
        String value = values.get(name);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + value + "'");
        }
    }

    List<String> positional() {
        return positional;
    }

    /** A command line the command cannot act on; exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
