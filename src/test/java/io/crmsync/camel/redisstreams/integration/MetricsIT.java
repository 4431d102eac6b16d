package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsIT extends RedisStreamsITSupport {

    @Test
    void metersCountReadAndAckedAndGaugePendingAndLagPerStreamAndGroup() throws Exception {
        String stream = "crm:sync:user:user_created";
        publish(stream, 10);
        CountDownLatch release = new CountDownLatch(1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        context = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                // one entry in flight at a time, held until released: 1 pending, 9 not yet delivered
                from("redis-streams:" + stream + "?group=g&maxInFlight=1&metricsInterval=200ms")
                        .process(e -> release.await());
            }
        });
        context.getRegistry().bind("meters", meters);
        context.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "redis.streams.pending") == 1
                && gauge(meters, "redis.streams.lag") == 9);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(meters, "redis.streams.entries.acked") == 10);
        assertThat(count(meters, "redis.streams.entries.read")).isEqualTo(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(meters, "redis.streams.pending") == 0
                && gauge(meters, "redis.streams.lag") == 0);
        assertThat(meters.get("redis.streams.poll.latency").tag("stream", stream).timer().count()).isPositive();
        assertThat(meters.get("redis.streams.entries.read").meter().getId().getTags())
                .extracting(t -> t.getKey()).containsExactlyInAnyOrder("stream", "group");

        context.stop();
        context = null;
        assertThat(meters.getMeters()).extracting(Meter::getId).noneMatch(id -> id.getName().startsWith("redis.streams"));
    }

    private static double gauge(SimpleMeterRegistry meters, String name) {
        var gauge = meters.find(name).tag("group", "g").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static double count(SimpleMeterRegistry meters, String name) {
        var counter = meters.find(name).tag("group", "g").counter();
        return counter == null ? -1 : counter.count();
    }
}
