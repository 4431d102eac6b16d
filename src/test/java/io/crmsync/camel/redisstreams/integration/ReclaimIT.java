package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReclaimIT extends RedisStreamsITSupport {

    @Test
    void entriesOfAnInstanceKilledMidBatchAreReclaimedAndProcessedByALiveOne() throws Exception {
        String stream = "crm:sync:user:user_created";
        publish(stream, 50);
        redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "crm-consumers",
                XGroupCreateArgs.Builder.mkstream());
        // "dead-pod" read a batch of 30 and was killed before any ack
        List<StreamMessage<String, String>> taken = redisCommands.xreadgroup(Consumer.from("crm-consumers", "dead-pod"),
                XReadArgs.Builder.count(30), XReadArgs.StreamOffset.lastConsumed(stream));
        assertThat(taken).hasSize(30);

        Set<String> processed = ConcurrentHashMap.newKeySet();
        Set<String> reclaimedIds = ConcurrentHashMap.newKeySet();
        context = newCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?consumerName=live-pod&minIdleTime=1s&reclaimInterval=300ms")
                        .process(e -> {
                            String id = e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
                            processed.add(id);
                            if (e.getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class) > 1) {
                                reclaimedIds.add(id);
                            }
                        });
            }
        });
        context.start();

        await().atMost(Duration.ofSeconds(15)).until(() -> processed.size() == 50);
        assertThat(reclaimedIds).containsExactlyInAnyOrderElementsOf(taken.stream().map(StreamMessage::getId).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "crm-consumers") == 0);
        assertThat(consumer().getReclaimedTotal()).isEqualTo(30);
    }

    @Test
    void aReclaimedEntryThatWasDeletedMeanwhileIsClearedWithoutRunningTheRoute() throws Exception {
        String stream = "s:reclaim-deleted";
        publish(stream, 3);
        redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g", XGroupCreateArgs.Builder.mkstream());
        List<StreamMessage<String, String>> taken = redisCommands.xreadgroup(Consumer.from("g", "dead-pod"),
                XReadArgs.Builder.count(3), XReadArgs.StreamOffset.lastConsumed(stream));
        redisCommands.xdel(stream, taken.get(1).getId());
        Set<String> processed = ConcurrentHashMap.newKeySet();

        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=live&minIdleTime=500ms&reclaimInterval=200ms")
                        .process(e -> processed.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> processed.size() == 2 && pending(stream, "g") == 0);
        assertThat(processed).containsExactlyInAnyOrder(taken.get(0).getId(), taken.get(2).getId());
    }
}
