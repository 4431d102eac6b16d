package io.crmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReloadMetricsTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger reloads = (Logger) ReloadMetrics.RELOADS;
    private final Logger routes = (Logger) org.slf4j.LoggerFactory.getLogger("io.crmsync.routes");
    private Level routesLevel;

    @BeforeEach
    void capture() {
        logs.start();
        reloads.addAppender(logs);
        routesLevel = routes.getLevel();
    }

    @AfterEach
    void release() {
        reloads.detachAppender(logs);
        routes.setLevel(routesLevel);
    }

    @Test
    void anAppliedFileIsCountedAndSaidInOneInfoLineNamingItEvenWhereTheReloadBookkeepingIsQuiet() {
        // the demo's levels: crm-sync at INFO, but its reload bookkeeping at WARN
        routes.setLevel(Level.WARN);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new ReloadMetrics(meters).applied("mapping file users.mapping.yaml", "mappings [user, user-updated]");

        assertThat(meters.get("crm.routes.reload").tag("result", "success").counter().count()).isEqualTo(1);
        assertThat(logs.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage())
                    .isEqualTo("Reloaded mapping file users.mapping.yaml: applied, mappings [user, user-updated]");
        });
    }
}
