package io.crmsync.postgres;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Derives {@code crm.postgres.enabled} from whether {@code crm.postgres.url} is set, so the routes that need the
 * PostgreSQL store start with it ({@code autoStartup: "{{crm.postgres.enabled}}"}) and a user sets only the URL.
 */
public class PostgresSwitch implements EnvironmentPostProcessor {

    public static final String ENABLED = "crm.postgres.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply(environment);
    }

    /** Also called by the offline route validation, whose environment Spring Boot does not make. */
    public static void apply(ConfigurableEnvironment environment) {
        // read when asked, not now: a test's or a later source's crm.postgres.url counts too; last, so an explicit
        // crm.postgres.enabled wins
        environment.getPropertySources().addLast(new PropertySource<>("crm-postgres-switch") {
            @Override
            public Object getProperty(String name) {
                return ENABLED.equals(name) ? String.valueOf(!environment.getProperty("crm.postgres.url", "").isBlank())
                        : null;
            }
        });
    }
}
