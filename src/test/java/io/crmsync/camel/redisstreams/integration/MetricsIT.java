package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.camel.redisstreams.RedisStreamsDevConsole;
import io.crmsync.camel.redisstreams.consumer.StreamStats;
import io.crmsync.camel.redisstreams.consumer.StreamStatsListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsIT extends RedisStreamsITSupport {

    @Test
    void statsCountReadAndAckedAndSamplePendingAndLagPerStreamAndGroup() throws Exception {
        String stream = "crm:sync:user:user_created";
        publish(stream, 10);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        context = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                // one entry in flight at a time, held until released: 1 pending, 9 not yet delivered
                from("redis-streams:" + stream + "?group=g&maxInFlight=1&metricsInterval=200ms")
                        .process(e -> release.await());
            }
        });
        ((RedisStreamsComponent) context.getComponent("redis-streams")).setStatsListener(new StreamStatsListener() {
            @Override
            public void started(StreamStats stats) {
                events.add("started " + stats.stream() + " / " + stats.group());
            }

            @Override
            public void stopped(StreamStats stats) {
                events.add("stopped " + stats.stream() + " / " + stats.group());
            }
        });
        context.start();
        StreamStats stats = consumer().getStats().get(0);

        await().atMost(Duration.ofSeconds(10)).until(() -> stats.pending() == 1 && stats.lag() == 9);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.ackedTotal() == 10);
        assertThat(stats.readTotal()).isEqualTo(10);
        assertThat(consumer().getAckedTotal()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.pending() == 0 && stats.lag() == 0);
        assertThat(stats.pollCount()).isPositive();
        RedisStreamsDevConsole console = new RedisStreamsDevConsole();
        console.setCamelContext(context);
        assertThat(console.call(DevConsole.MediaType.TEXT, Map.of()).toString()).contains(stream + " / g: read 10, acked 10");

        context.stop();
        context = null;
        assertThat(events).containsExactly("started " + stream + " / g", "stopped " + stream + " / g");
    }
}
