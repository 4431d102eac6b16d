package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PendingAndFailureIT extends RedisStreamsITSupport {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void ownPendingEntriesAreDrainedBeforeNewOnes() throws Exception {
        String stream = "s:pending";
        publish(stream, 3);
        redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g", XGroupCreateArgs.Builder.mkstream());
        // a previous life of pod-a read three entries and died before acking them
        List<StreamMessage<String, String>> before = redisCommands.xreadgroup(Consumer.from("g", "pod-a"),
                XReadArgs.Builder.count(3), XReadArgs.StreamOffset.lastConsumed(stream));
        publish(stream, 2);

        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=pod-a").process(e -> seen.add(
                        e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID) + "#"
                                + e.getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT)));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        assertThat(seen.subList(0, 3)).containsExactly(before.get(0).getId() + "#2", before.get(1).getId() + "#2",
                before.get(2).getId() + "#2");
        assertThat(seen.subList(3, 5)).allMatch(s -> s.endsWith("#1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "g") == 0);
    }

    @Test
    void unhandledFailureLeavesTheEntryPending() throws Exception {
        String stream = "s:fail";
        publish(stream, 1);
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g").process(e -> {
                    seen.add("x");
                    throw new IllegalStateException("boom");
                });
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        Thread.sleep(500); // longer than ackInterval: an ack, had one been queued, would have been sent
        assertThat(pending(stream, "g")).isEqualTo(1);
    }

    @Test
    void failureHandledByTheDeadLetterChannelIsAckedAndDeadLettered() throws Exception {
        String stream = "s:dlc";
        redisCommands.xadd(stream, fields("eventType", "bad", "entityId", "e1"));
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead-letter").deadLetterHandleNewException(false));
                from("redis-streams:" + stream + "?group=g").process(e -> {
                    throw new IllegalArgumentException("invalid");
                });
            }
        });
        context.addRoutes(new DeadLetterRoutes());

        await().atMost(Duration.ofSeconds(10)).until(() -> entries(DeadLetterRoutes.DLQ).size() == 1);
        var dead = entries(DeadLetterRoutes.DLQ).get(0).getBody();
        assertThat(dead).containsEntry("eventType", "bad").containsEntry("entityId", "e1")
                .containsEntry("dlq.sourceStream", stream).containsEntry("dlq.reason", "error");
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "g") == 0);
        // the dead-letter write went to the DLQ, not back to the source stream
        assertThat(redisCommands.xlen(stream)).isEqualTo(1);
    }

    @Test
    void entryDeletedWhilePendingIsAckedWithoutRunningTheRoute() throws Exception {
        String stream = "s:deleted";
        publish(stream, 2);
        redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g", XGroupCreateArgs.Builder.mkstream());
        List<StreamMessage<String, String>> read = redisCommands.xreadgroup(Consumer.from("g", "pod-a"),
                XReadArgs.Builder.count(2), XReadArgs.StreamOffset.lastConsumed(stream));
        redisCommands.xdel(stream, read.get(0).getId());

        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=pod-a")
                        .process(e -> seen.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> pending(stream, "g") == 0);
        assertThat(seen).containsExactly(read.get(1).getId());
    }
}
