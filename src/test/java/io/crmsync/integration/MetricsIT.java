package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * /actuator/prometheus after traffic: route, stream and latency meters with sensible values, and every metric name
 * that k8s/ alerts and dashboards use (src/test/resources/exported-metrics.txt) really exported.
 */
class MetricsIT extends SyncITSupport {


    private String scrapeAfterTraffic() {
        String id = publishFlat("crm:sync:user:user_created", "user_created", tenant + "-m1", java.time.Instant.now().toString(),
                "{\"email\":\"m@example.com\"}");
        awaitRecord("crm:sync:user:user_created", id);
        publish("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", tenant, "data", "{bad"));
        // gauges are sampled periodically, and acks are batched: wait until the scrape shows both
        return await().atMost(Duration.ofSeconds(40)).until(() -> http.getForObject("/actuator/prometheus", String.class),
                body -> value(body, "redis_streams_entries_acked_total", "stream=\"crm:sync:user:user_created\"") >= 2
                        && body.contains("redis_streams_lag{") && body.contains("crm_sync_events_total{"));
    }

    @Test
    void everyMetricTheDashboardsAndAlertsUseIsExported() throws IOException {
        String body = scrapeAfterTraffic();
        List<String> names = Files.readAllLines(Path.of("src/test/resources/exported-metrics.txt")).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        for (String name : names) {
            assertThat(body).as("metric family %s on /actuator/prometheus", name)
                    .containsPattern("(?m)^" + Pattern.quote(name) + "(_bucket|_count|_sum|_max)?[{ ]");
        }
    }

    @Test
    void streamRouteAndLatencyMetersCarrySensibleValues() {
        String body = scrapeAfterTraffic();
        String users = "stream=\"crm:sync:user:user_created\"";
        assertThat(value(body, "redis_streams_entries_read_total", users)).isGreaterThanOrEqualTo(2);
        assertThat(value(body, "redis_streams_pending", users)).isGreaterThanOrEqualTo(0);
        assertThat(value(body, "redis_streams_lag", users)).isGreaterThanOrEqualTo(0);
        assertThat(value(body, "crm_sync_events_total", "outcome=\"processed\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(body, "crm_sync_events_total", "outcome=\"deadlettered\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(body, "crm_sync_event_latency_seconds_count", "eventType=\"user.created\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(body, "camel_exchanges_total", "routeId=\"user-streams\"")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void handlerRoutesAreLeftOutOfTheRouteMetricsBecauseTheyRepeatTheStreamRoutes() {
        String body = scrapeAfterTraffic();
        assertThat(value(body, "camel_exchanges_total", "routeId=\"user-streams\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(body, "camel_exchanges_total", "routeId=\"user-events\"")).isEqualTo(-1);
        assertThat(value(body, "camel_exchanges_total", "routeId=\"event-handlers\"")).isEqualTo(-1);
        assertThat(value(body, "camel_exchanges_total", "eventType=\"context\"")).isEqualTo(-1);
    }

    /** The largest sample of a metric whose labels contain the given text, or -1. */
    private static double value(String body, String metric, String labelText) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)").matcher(body);
        double best = -1;
        while (m.find()) {
            if (m.group(1).contains(labelText)) {
                best = Math.max(best, Double.parseDouble(m.group(2)));
            }
        }
        return best;
    }
}
