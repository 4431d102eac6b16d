package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An entry whose processing outlasts minIdleTime (what the route writes to is away, say) is still this consumer's:
 * its claim is kept fresh, so no other instance runs it too and its delivery count does not climb to the cap.
 */
class SlowEntriesIT extends RedisStreamsITSupport {

    @Test
    void anEntryProcessedForLongerThanMinIdleTimeIsNotReclaimedByAnotherInstance() throws Exception {
        String stream = "s:slow";
        String options = "?minIdleTime=600ms&reclaimInterval=200ms&maxDeliveries=2&blockTime=200ms";
        List<String> runs = new CopyOnWriteArrayList<>();
        context = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + options + "&consumerName=busy").process(e -> {
                    runs.add("busy " + e.getIn().getHeader("CamelRedisStreamsDeliveryCount"));
                    Thread.sleep(3_000); // five times minIdleTime
                });
            }
        });
        context.start();
        publish(stream, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
        CamelContext other = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + options + "&consumerName=idle")
                        .process(e -> runs.add("idle " + e.getIn().getHeader("CamelRedisStreamsDeliveryCount")));
            }
        });
        other.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> pending(stream, "crm-consumers") == 0);
            assertThat(runs).containsExactly("busy 1");
        } finally {
            other.stop();
        }
    }
}
