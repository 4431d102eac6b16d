package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.lettuce.core.AclSetuserArgs;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** XACK failing while reads still work must not grow the ack queue and the in-flight entries without bound. */
class AckBacklogIT extends RedisStreamsITSupport {

    @Test
    void whileAcksCannotBeSentReadingStopsAtMaxInFlight() throws Exception {
        String stream = "s:no-ack";
        // a user that may do everything but XACK
        redisCommands.aclSetuser("noack", AclSetuserArgs.Builder.on().addPassword("pw").allKeys().allChannels()
                .allCommands().removeCommand(io.lettuce.core.protocol.CommandType.XACK));
        try {
            publish(stream, 50);
            List<String> processed = new CopyOnWriteArrayList<>();
            context = newCamel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + stream + "?maxInFlight=5&batchSize=5&ackBatchSize=1&blockTime=200ms")
                            .process(e -> processed.add("x"));
                }
            });
            ((RedisStreamsComponent) context.getComponent("redis-streams")).setRedisUrl(
                    "redis://noack:pw@127.0.0.1:" + redis.port());
            context.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> processed.size() >= 5);
            Thread.sleep(2_000); // time to read all 50, were reading not held back
            assertThat(processed.size()).as("entries processed while none could be acked").isLessThanOrEqualTo(10);
            assertThat(consumer().getInFlight()).isLessThanOrEqualTo(10);
        } finally {
            redisCommands.aclDeluser("noack");
        }
    }
}
