package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Poll errors go through the consumer's ExceptionHandler, so Camel's bridgeErrorHandler works as its docs say. */
class BridgeErrorHandlerIT extends RedisStreamsITSupport {

    @Test
    void withBridgeErrorHandlerAPollFailureReachesTheRoutesErrorHandler() throws Exception {
        String stream = "s:bridge";
        List<Exchange> handled = new CopyOnWriteArrayList<>();
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:poll-errors"));
                from("redis-streams:" + stream + "?bridgeErrorHandler=true&blockTime=200ms").routeId("bridged")
                        .log("entry ${header.CamelRedisStreamsEntryId}");
                from("direct:poll-errors").process(handled::add);
            }
        });

        // the key stops being a stream under the consumer: its reads fail
        redisCommands.del(stream);
        redisCommands.set(stream, "not a stream");

        await().atMost(Duration.ofSeconds(10)).until(() -> !handled.isEmpty());
        // a blocked read fails with UNBLOCKED when the key goes, the next one with WRONGTYPE: either is a poll failure
        Throwable caught = handled.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        assertThat(caught).isInstanceOf(io.lettuce.core.RedisCommandExecutionException.class)
                .hasMessageMatching("(WRONGTYPE|UNBLOCKED).*");
        assertThat(handled.get(0).getFromRouteId()).isEqualTo("bridged");
    }
}
