package io.crmsync.config;

import java.util.Map;
import java.util.function.Function;

import io.crmsync.core.connect.PostgresUrl;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Properties the routes need but a user never sets, derived from the ones they do: whether a source or store is
 * configured ({@code autoStartup: "{{crm.cdc.enabled}}"}), and the parts of {@code CDC_DATABASE_URL} the
 * debezium-postgres endpoint takes one by one. Read when asked, so a later source (a test's, say) counts too; last,
 * so an explicit value wins.
 */
public class DerivedProperties implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply(environment);
    }

    /** Also called by the offline route validation, whose environment Spring Boot does not make. */
    public static void apply(ConfigurableEnvironment environment) {
        Map<String, Function<ConfigurableEnvironment, Object>> derived = Map.of(
                "crm.postgres.enabled", env -> isSet(env, "crm.postgres.url"),
                "crm.cdc.enabled", env -> isSet(env, "crm.cdc.database-url"),
                "crm.kafka.enabled", env -> isSet(env, "crm.kafka.bootstrap-servers"),
                "crm.cdc.database.host", env -> cdc(env, PostgresUrl::host, "localhost"),
                "crm.cdc.database.port", env -> cdc(env, PostgresUrl::port, 5432),
                "crm.cdc.database.name", env -> cdc(env, PostgresUrl::database, "unset"),
                "crm.cdc.database.user", env -> cdc(env, PostgresUrl::user, "unset"),
                // debezium-postgres requires a password; a connection PostgreSQL trusts ignores it
                "crm.cdc.database.password", env -> cdc(env, url -> url.password() == null ? "unset" : url.password(), "unset"),
                "crm.cdc.database.jdbc-url", env -> cdc(env, PostgresUrl::jdbcUrl, "jdbc:postgresql://localhost:5432/unset"));
        environment.getPropertySources().addLast(new PropertySource<>("crm-derived") {
            @Override
            public Object getProperty(String name) {
                Function<ConfigurableEnvironment, Object> rule = derived.get(name);
                return rule == null ? null : rule.apply(environment);
            }
        });
    }

    private static String isSet(ConfigurableEnvironment environment, String name) {
        return String.valueOf(!environment.getProperty(name, "").isBlank());
    }

    /** A part of the CDC database URL; {@code unset} while none is set, so routes still resolve (and stay off). */
    private static Object cdc(ConfigurableEnvironment environment, Function<PostgresUrl, Object> part, Object unset) {
        String url = environment.getProperty("crm.cdc.database-url", "");
        return url.isBlank() ? unset : part.apply(PostgresUrl.parse(url));
    }
}
