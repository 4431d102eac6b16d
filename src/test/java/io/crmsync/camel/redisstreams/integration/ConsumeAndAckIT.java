package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsumeAndAckIT extends RedisStreamsITSupport {

    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    private RouteBuilder collecting(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("collect").process(e -> received.add(e.copy()));
            }
        };
    }

    @Test
    void groupIsCreatedWithTheStreamWhenMissing() throws Exception {
        startCamel(collecting("redis-streams:crm:sync:user:user_created?group=g1&consumerName=c1"));

        assertThat(redisCommands.exists("crm:sync:user:user_created")).isEqualTo(1L);
        assertThat(redisCommands.xinfoGroups("crm:sync:user:user_created")).hasSize(1);
    }

    @Test
    void entriesArriveAsFieldMapsWithHeadersAndAreAcked() throws Exception {
        String stream = "crm:sync:user:user_created";
        redisCommands.xadd(stream, fields("eventType", "user_created", "entityId", "u1", "data", "{\"a\":1}"));
        startCamel(collecting("redis-streams:" + stream + "?group=g1&consumerName=pod-a"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        Exchange exchange = received.get(0);
        @SuppressWarnings("unchecked")
        Map<String, String> body = exchange.getIn().getBody(Map.class);
        assertThat(body).containsExactly(Map.entry("eventType", "user_created"), Map.entry("entityId", "u1"),
                Map.entry("data", "{\"a\":1}"));
        assertThat(exchange.getIn().getHeader(RedisStreamsConstants.STREAM)).isEqualTo(stream);
        assertThat(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)).matches("\\d+-\\d+");
        assertThat(exchange.getIn().getHeader(RedisStreamsConstants.GROUP)).isEqualTo("g1");
        assertThat(exchange.getIn().getHeader(RedisStreamsConstants.CONSUMER)).isEqualTo("pod-a");
        assertThat(exchange.getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT)).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(stream, "g1") == 0);
    }

    @Test
    void entriesOfSeveralStreamsInOneRouteAreAllConsumed() throws Exception {
        publish("crm:sync:user:user_created", 50);
        publish("crm:sync:user:user_deleted", 50);
        startCamel(collecting("redis-streams:crm:sync:user:user_created,crm:sync:user:user_deleted?group=g1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending("crm:sync:user:user_created", "g1") == 0
                && pending("crm:sync:user:user_deleted", "g1") == 0);
    }

    @Test
    void startIdDollarSkipsEntriesPublishedBeforeTheGroupExisted() throws Exception {
        String stream = "s:start";
        publish(stream, 5);
        startCamel(collecting("redis-streams:" + stream + "?group=late&startId=$"));
        publish(stream, 3);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        Thread.sleep(300);
        assertThat(received).hasSize(3);
    }

    @Test
    void startIdDefaultsToZeroSoTheWholeStreamIsRead() throws Exception {
        String stream = "s:zero";
        publish(stream, 5);
        startCamel(collecting("redis-streams:" + stream + "?group=g1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
    }
}
