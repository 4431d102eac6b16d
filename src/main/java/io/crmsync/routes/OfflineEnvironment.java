package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * The properties the routes' placeholders resolve against when the app is not running: system properties,
 * environment variables, then application.yaml (the one beside the jar, else the one inside it), the same order
 * Spring Boot reads them in, without starting anything.
 */
public final class OfflineEnvironment {

    private OfflineEnvironment() {
    }

    public static StandardEnvironment load() {
        StandardEnvironment environment = new StandardEnvironment();
        Resource yaml = Files.isRegularFile(Path.of("application.yaml"))
                ? new FileSystemResource("application.yaml") : new ClassPathResource("application.yaml");
        if (yaml.exists()) {
            try {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yaml", yaml)) {
                    environment.getPropertySources().addLast(source);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + yaml.getDescription() + ": " + e.getMessage(), e);
            }
        }
        io.crmsync.config.DerivedProperties.apply(environment);
        return environment;
    }
}
