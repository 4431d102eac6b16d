package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.crmsync.camel.redisstreams.integration.DeadLetterRoutes.TransientFailure;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MaxDeliveriesIT extends RedisStreamsITSupport {

    @Test
    void poisonEntryIsDeadLetteredAfterMaxDeliveriesWhileTheStreamBehindItFlows() throws Exception {
        String stream = "crm:sync:user:user_deleted";
        redisCommands.xadd(stream, fields("eventType", "user_deleted", "entityId", "poison"));
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<String> good = new CopyOnWriteArrayList<>();
        context = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead-letter").deadLetterHandleNewException(false));
                from("redis-streams:" + stream + "?maxDeliveries=3&minIdleTime=300ms&reclaimInterval=200ms")
                        .process(e -> {
                            String entity = e.getIn().getBody(java.util.Map.class).get("entityId").toString();
                            if ("poison".equals(entity)) {
                                poisonAttempts.incrementAndGet();
                                throw new TransientFailure("cannot handle " + entity);
                            }
                            good.add(entity);
                        });
            }
        });
        context.addRoutes(new DeadLetterRoutes());
        context.start();
        for (int i = 0; i < 20; i++) {
            redisCommands.xadd(stream, fields("eventType", "user_deleted", "entityId", "u" + i));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> good.size() == 20);
        await().atMost(Duration.ofSeconds(15)).until(() -> entries(DeadLetterRoutes.DLQ).size() == 1);
        assertThat(entries(DeadLetterRoutes.DLQ).get(0).getBody()).containsEntry("entityId", "poison")
                .containsEntry("dlq.reason", "max-deliveries").containsEntry("dlq.deliveryCount", "4");
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "crm-consumers") == 0);
        assertThat(poisonAttempts).hasValue(3);
        assertThat(consumer().getDeadLetteredTotal()).isEqualTo(1);
    }

    @Test
    void withoutADeadLetterChannelAnEntryOverTheCapStaysPendingAndIsNotRunAgain() throws Exception {
        String stream = "s:cap-no-dlc";
        redisCommands.xadd(stream, fields("entityId", "poison"));
        AtomicInteger attempts = new AtomicInteger();
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?maxDeliveries=2&minIdleTime=200ms&reclaimInterval=100ms")
                        .process(e -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("always");
                        });
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 2);
        Thread.sleep(1500);
        assertThat(attempts).hasValue(2);
        assertThat(pending(stream, "crm-consumers")).isEqualTo(1);
    }
}
