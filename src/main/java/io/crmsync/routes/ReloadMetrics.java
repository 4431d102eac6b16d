package io.crmsync.routes;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What dashboards and alerts see of route reloads. Prometheus names: {@code crm_routes_reload_total{result}},
 * {@code crm_routes_invalid_files}, {@code crm_routes_last_reload_success_timestamp_seconds}.
 */
final class ReloadMetrics {

    private final Counter successes;
    private final Counter failures;
    private final AtomicInteger invalidFiles = new AtomicInteger();
    // start-up loaded the routes successfully, so "time since last good load" starts there, not at 1970
    private final AtomicLong lastSuccess = new AtomicLong(System.currentTimeMillis());

    ReloadMetrics(MeterRegistry meters) {
        successes = counter(meters, "success");
        failures = counter(meters, "failure");
        Gauge.builder("crm.routes.invalid.files", invalidFiles, AtomicInteger::get)
                .description("Routes files whose current content was rejected; their previous routes keep running")
                .register(meters);
        Gauge.builder("crm.routes.last.reload.success.timestamp", lastSuccess, t -> t.get() / 1000.0)
                .description("When routes were last loaded or reloaded successfully")
                .baseUnit("seconds")
                .register(meters);
    }

    void succeeded() {
        successes.increment();
        lastSuccess.set(System.currentTimeMillis());
    }

    void failed() {
        failures.increment();
    }

    void invalidFiles(int count) {
        invalidFiles.set(count);
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder("crm.routes.reload")
                .description("Reloads of a changed, new or deleted routes file, by result")
                .tag("result", result)
                .register(meters);
    }
}
