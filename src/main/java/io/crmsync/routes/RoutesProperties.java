package io.crmsync.routes;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.routes.*}: where the YAML routes are and how changes to them are picked up.
 *
 * @param dir   the routes directory ({@code ROUTES_DIR}); Camel loads {@code *.camel.yaml} from it at start-up
 * @param watch live reload of changed files
 */
@Validated
@ConfigurationProperties("crm.routes")
public record RoutesProperties(@NotNull @DefaultValue("./routes") Path dir, @Valid @NotNull @DefaultValue Watch watch) {

    /**
     * @param enabled        whether changed files replace the running routes without a restart
     * @param debounce       quiet time after a file system event before the directory is scanned
     * @param rescanInterval how often the directory is scanned anyway, for volumes that send no events
     */
    record Watch(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("500ms") Duration debounce,
            @NotNull @DefaultValue("5s") Duration rescanInterval) {
    }
}
