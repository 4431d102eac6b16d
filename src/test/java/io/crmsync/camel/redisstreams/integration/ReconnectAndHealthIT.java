package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReconnectAndHealthIT extends RedisStreamsITSupport {

    private final List<String> received = new CopyOnWriteArrayList<>();

    private Optional<HealthCheck.Result> health() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:r")).findFirst();
    }

    @Test
    void healthIsUpWhileReadingDownWhileRedisIsAwayAndTheConsumerResumesByItself() throws Exception {
        String stream = "crm:sync:user:user_created";
        // the consumer's ExceptionHandler logs a poll failure (Camel's LoggingExceptionHandler, unless bridged)
        Logger loopLog = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        loopLog.addAppender(logs);
        try {
            startCamel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + stream + "?blockTime=300ms").routeId("r")
                            .process(e -> received.add("x"));
                }
            });
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP)
                .orElse(false));

        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.DOWN)
                .orElse(false));
        Map<String, Object> details = health().orElseThrow().getDetails();
        assertThat(details).containsEntry("stream", stream).containsEntry("state", "DISCONNECTED");
        assertThat(details.values().toString()).doesNotContain("redis://");
        Thread.sleep(3000); // several failed attempts

        redis.startAgain(); // no persistence: the group is gone and must be recreated
        publish(stream, 5);
        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP)
                .orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "crm-consumers") == 0);

        long warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains("Redis call failed")).count();
        assertThat(warnings).as("one WARN per outage, not one per attempt").isEqualTo(1);
        } finally {
            loopLog.detachAppender(logs);
        }
    }

    @Test
    void healthIsDownWhileSuspended() throws Exception {
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:s:h?blockTime=200ms").routeId("r").process(e -> received.add("x"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP)
                .orElse(false));
        context.getRouteController().suspendRoute("r");
        await().atMost(Duration.ofSeconds(5)).until(() -> health().map(r -> r.getState() == HealthCheck.State.DOWN)
                .orElse(false));
        // the route check already reports the suspension; the component's own check says why as well
        var consumer = (io.crmsync.camel.redisstreams.RedisStreamsConsumer) context.getRoute("r").getConsumer();
        HealthCheck.Result own = consumer.getHealthCheck().call();
        assertThat(own.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(own.getDetails()).containsEntry("state", "SUSPENDED");
    }

    @Test
    void healthIsDownWhileEveryExchangeHangsAndUpAgainOnceTheyFinish() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                // one permit, and the only exchange never finishes until released: the loop reads nothing more
                from("redis-streams:s:stall?blockTime=200ms&maxInFlight=1").routeId("r").process(e -> release.await());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
        redisCommands.xadd("s:stall", java.util.Map.of("k", "v"));

        // a blocking read is 200 ms: stalled once nothing has moved for 2 x 200 ms + 5 s
        await().atMost(Duration.ofSeconds(15)).until(() -> health().map(r -> r.getState() == HealthCheck.State.DOWN).orElse(false));
        var consumer = (io.crmsync.camel.redisstreams.RedisStreamsConsumer) context.getRoute("r").getConsumer();
        assertThat(consumer.getHealthCheck().call().getDetails()).containsEntry("state", "STALLED");

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
    }

    @Test
    void slowButMovingRouteKeepsHealthUp() throws Exception {
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                // every exchange takes 300 ms and only one runs at a time: the loop mostly waits for its permit
                from("redis-streams:s:slow?blockTime=200ms&maxInFlight=1").routeId("r").process(e -> Thread.sleep(300));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> health().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
        for (int i = 0; i < 40; i++) {
            redisCommands.xadd("s:slow", java.util.Map.of("i", String.valueOf(i)));
        }
        long until = System.currentTimeMillis() + 9_000;
        while (System.currentTimeMillis() < until) {
            assertThat(health().map(HealthCheck.Result::getState)).contains(HealthCheck.State.UP);
            Thread.sleep(500);
        }
    }
}
