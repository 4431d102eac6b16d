package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * Readiness catches a stream consumer that is not running, within 30 s, and recovers by itself.
 */
class HealthIT extends SyncITSupport {

    @Autowired
    CamelContext camel;

    private ResponseEntity<String> readiness() {
        return http.getForEntity("/actuator/health/readiness", String.class);
    }

    @Test
    void readinessIsUpWhileEveryStreamConsumerRuns() {
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getStatusCode().value() == 200);
        assertThat(readiness().getBody()).contains("\"status\":\"UP\"").contains("mongo");
    }

    @Test
    void stoppedStreamConsumerTurnsReadinessDownUntilItRunsAgain() throws Exception {
        try {
            camel.getRouteController().stopRoute("inter-app-streams");
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getStatusCode().value() == 503);
            assertThat(readiness().getBody()).contains("\"status\":\"DOWN\"");
        } finally {
            camel.getRouteController().startRoute("inter-app-streams");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getStatusCode().value() == 200);
    }

    @Test
    void livenessStaysUpWhenAConsumerStops() throws Exception {
        try {
            camel.getRouteController().stopRoute("inter-app-streams");
            assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode().value()).isEqualTo(200);
        } finally {
            camel.getRouteController().startRoute("inter-app-streams");
        }
    }
}
