package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.camel.redisstreams.integration.DeadLetterRoutes.TransientFailure;
import io.lettuce.core.StreamMessage;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisRestartIT extends RedisStreamsITSupport implements RedisStreamsITSupport.PersistentRedis {

    @Test
    void redisRestartedMidwayThroughTenThousandEntriesWithRandomFailuresLosesNothing() throws Exception {
        String stream = "crm:sync:credits:credit_consumed";
        List<String> ids = publishFast(stream, 10_000, fields("eventType", "credit_consumed", "amount", "5"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> succeeded = ConcurrentHashMap.newKeySet();
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead-letter").deadLetterHandleNewException(false));
                from("redis-streams:" + stream + "?maxDeliveries=5&minIdleTime=1s&reclaimInterval=300ms"
                        + "&batchSize=200&blockTime=500ms")
                        .process(e -> {
                            String id = e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
                            seen.add(id);
                            double r = ThreadLocalRandom.current().nextDouble();
                            if (r < 0.01) {
                                throw new IllegalArgumentException("permanent failure of " + id);
                            }
                            if (r < 0.04) {
                                throw new TransientFailure("transient failure of " + id);
                            }
                            succeeded.add(id);
                        });
            }
        });
        context.addRoutes(new DeadLetterRoutes());

        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 3000);
        redis.restart();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> seen.size() == 10_000 && pending(stream, "crm-consumers") == 0);
        Set<String> deadLettered = new HashSet<>();
        for (StreamMessage<String, String> m : entries(DeadLetterRoutes.DLQ)) {
            deadLettered.add(m.getBody().get("dlq.sourceId"));
        }
        Set<String> settled = new HashSet<>(succeeded);
        settled.addAll(deadLettered);
        assertThat(settled).containsAll(ids);
        assertThat(deadLettered).isNotEmpty();
        assertThat(pending(stream, "crm-consumers")).isZero();
    }
}
