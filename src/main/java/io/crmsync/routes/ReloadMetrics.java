package io.crmsync.routes;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What dashboards and alerts see of route reloads. Prometheus names: {@code crm_routes_reload_total{result}},
 * {@code crm_routes_invalid_files}, {@code crm_routes_last_reload_success_timestamp_seconds}.
 */
final class ReloadMetrics {

    /**
     * A file the user edited was applied: one line for them, apart from the reload's bookkeeping under
     * {@code io.crmsync.routes}, which a quieter log (the demo's) leaves out. Refusals are warnings, logged where found.
     */
    static final Logger RELOADS = LoggerFactory.getLogger("io.crmsync.reload");

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

    /** @param what what the file now puts in effect, such as {@code routes [user-streams]} */
    void applied(String file, String what) {
        succeeded();
        RELOADS.info("Reloaded {}: applied, {}", file, what);
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
