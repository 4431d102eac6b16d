package io.crmsync.core.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.crmsync.core.mapping.MappingParser;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Puts the aliases the shipped mapping files declare (aliases:) in effect, as the app does when it loads them, for
 * unit tests that normalise types without an app: the aliases are process-wide, so no test may count on another
 * test class having loaded them.
 */
public final class ShippedAliases {

    private ShippedAliases() {
    }

    public static void inEffect() throws Exception {
        Map<String, String> aliases = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mapping.yaml")).sorted().toList()) {
                aliases.putAll(new MappingParser(new DefaultCamelContext())
                        .parse(file.getFileName().toString(), Files.readString(file)).aliases());
            }
        }
        EventTypes.useAliases(aliases);
    }
}
