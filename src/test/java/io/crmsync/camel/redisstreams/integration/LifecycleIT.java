package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.crmsync.camel.redisstreams.RedisStreamsConsumer;
import io.crmsync.camel.redisstreams.consumer.StreamPollTask;
import io.lettuce.core.StreamMessage;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LifecycleIT extends RedisStreamsITSupport {

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void stopLetsTheInFlightExchangeFinishAndAcksIt() throws Exception {
        String stream = "s:stop";
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g").process(e -> {
                    started.countDown();
                    Thread.sleep(1500);
                    finished.set(true);
                });
            }
        });
        publish(stream, 1);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        context.stop();

        assertThat(finished).isTrue();
        assertThat(pending(stream, "g")).isZero();
    }

    @Test
    void suspendStopsReadingAndResumeContinues() throws Exception {
        String stream = "s:suspend";
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&blockTime=200ms").routeId("r")
                        .process(e -> received.add("x"));
            }
        });
        publish(stream, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

        context.getRouteController().suspendRoute("r");
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute("r").getConsumer();
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.getTaskStates().values().stream()
                .allMatch(s -> s == StreamPollTask.State.SUSPENDED));
        publish(stream, 1);
        Thread.sleep(1000);
        assertThat(received).hasSize(1);

        context.getRouteController().resumeRoute("r");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "g") == 0);
    }

    @Test
    void consumerThreadsHaveStableNumberedNamesInTheGroup() throws Exception {
        String stream = "s:threads";
        publish(stream, 20);
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=pod-x&consumersCount=2&batchSize=1")
                        .process(e -> received.add("x"));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> redisCommands.xinfoConsumers(stream, "g").size() == 2);
        List<String> names = redisCommands.xinfoConsumers(stream, "g").stream()
                .map(o -> String.valueOf(((List<?>) o).get(1))).sorted().toList();
        assertThat(names).containsExactly("pod-x-1", "pod-x-2");
    }

    @Test
    void consumerNameDefaultsToTheHostName() throws Exception {
        String stream = "s:name";
        publish(stream, 1);
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g").routeId("r").process(e -> received.add("x"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        String expected = System.getenv("CRM_SYNC_CONSUMER_NAME") != null ? System.getenv("CRM_SYNC_CONSUMER_NAME")
                : System.getenv("HOSTNAME") != null ? System.getenv("HOSTNAME")
                : java.net.InetAddress.getLocalHost().getHostName();
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute("r").getConsumer();
        assertThat(consumer.getTaskStates()).containsKey(stream + "/" + expected);
        List<StreamMessage<String, String>> all = entries(stream);
        assertThat(all).hasSize(1);
    }

    @Test
    void cleanStopRemovesAConsumerThatHoldsNothingAndKeepsOneThatHoldsEntries() throws Exception {
        publish("s:idle", 3);
        publish("s:holding", 1);
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:s:idle?group=g&consumerName=pod-gone").process(e -> received.add("idle"));
                // fails without a dead-letter channel: the entry stays pending on pod-keep
                from("redis-streams:s:holding?group=g&consumerName=pod-keep").process(e -> {
                    received.add("holding");
                    throw new IllegalStateException("poison");
                });
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);

        context.stop();
        context = null;

        assertThat(redisCommands.xinfoConsumers("s:idle", "g")).isEmpty();
        assertThat(redisCommands.xinfoConsumers("s:holding", "g")).hasSize(1);
        assertThat(redisCommands.xpending("s:holding", "g").getCount()).isEqualTo(1);
    }
}
