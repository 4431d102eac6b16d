package io.crmsync.sources.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SlotMonitorStartTest {

    private static final String NOT_CHECKED = "not checked yet";

    @Test
    void theSlotIsFirstReadOnceCamelHasStartedItsRoutes() throws Exception {
        // nothing listens on port 1: once checking, the monitor records the refused connection as its error
        CdcProperties properties = new CdcProperties("postgresql://crm:secret@127.0.0.1:1/loyalty", "crm_cdc_slot",
                "crm_cdc_publication", java.util.List.of("public.purchase_ledger"), "tenant_id", 1L << 30,
                Duration.ofMillis(100), Duration.ofMillis(20), "file", null);
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SlotMonitor monitor = new CdcConfiguration().slotMonitor(properties, new SimpleMeterRegistry(), camel,
                        new FileLockClusterService())) {
            Thread.sleep(300); // fifteen check intervals and three graces: a start-up slower than the grace
            assertThat(monitor.state().error()).isEqualTo(NOT_CHECKED);

            camel.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !NOT_CHECKED.equals(monitor.state().error()));
            assertThat(monitor.state().error()).isNotBlank();
        }
    }
}
