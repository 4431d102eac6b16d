package io.crmsync.camel.redisstreams.integration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.embedded.EmbeddedRedis;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerIT extends RedisStreamsITSupport {

    private static final RouteBuilder NO_ROUTES = new RouteBuilder() {
        @Override
        public void configure() {
        }
    };

    @Test
    void bodyMapIsAppendedWithNestedValuesAsJsonAndTheNewIdIsReturned() throws Exception {
        startCamel(NO_ROUTES);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventType", "user_created");
        body.put("data", Map.of("userId", "u1"));
        body.put("tags", List.of("a", "b"));
        body.put("count", 3);
        body.put("skipped", null);

        Exchange result = context.createProducerTemplate().request("redis-streams:crm:acks", e -> e.getIn().setBody(body));

        assertThat(result.getException()).isNull();
        String id = result.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
        var entry = entries("crm:acks").get(0);
        assertThat(entry.getId()).isEqualTo(id);
        assertThat(entry.getBody()).containsExactly(Map.entry("eventType", "user_created"),
                Map.entry("data", "{\"userId\":\"u1\"}"), Map.entry("tags", "[\"a\",\"b\"]"), Map.entry("count", "3"));
    }

    @Test
    void aListBodyIsAppendedInListOrderAndItsIdsAreReturned() throws Exception {
        startCamel(NO_ROUTES);
        List<Map<String, Object>> body = List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3));

        Exchange result = context.createProducerTemplate().request("redis-streams:crm:acks:many", e -> e.getIn().setBody(body));

        assertThat(result.getException()).isNull();
        var entries = entries("crm:acks:many");
        assertThat(entries).extracting(entry -> entry.getBody().get("n")).containsExactly("1", "2", "3");
        assertThat(result.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, List.class))
                .isEqualTo(entries.stream().map(entry -> entry.getId()).toList());
    }

    @Test
    void listBodiesSentFromSeveralThreadsAtOnceAreEachAppendedWholeAndInOrder() throws Exception {
        startCamel(NO_ROUTES);
        ProducerTemplate template = context.createProducerTemplate();
        int threads = 4;
        int perList = 200;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Exchange>> sent = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String sender = "t" + t;
                List<Map<String, Object>> body = java.util.stream.IntStream.range(0, perList)
                        .mapToObj(n -> Map.<String, Object>of("sender", sender, "n", n)).toList();
                sent.add(pool.submit(() -> template.request("redis-streams:crm:acks:shared", e -> e.getIn().setBody(body))));
            }
            for (var exchange : sent) {
                assertThat(exchange.get(30, java.util.concurrent.TimeUnit.SECONDS).getException()).isNull();
            }
        } finally {
            pool.shutdownNow();
        }

        var entries = entries("crm:acks:shared");
        assertThat(entries).hasSize(threads * perList);
        for (int t = 0; t < threads; t++) {
            String sender = "t" + t;
            assertThat(entries.stream().filter(entry -> sender.equals(entry.getBody().get("sender")))
                    .map(entry -> Integer.parseInt(entry.getBody().get("n"))).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perList).boxed().toList());
        }
    }

    @Test
    void aListWithAnEntryThatCannotBeAppendedFailsTheExchangeAndAppendsNoneOfIt() throws Exception {
        startCamel(NO_ROUTES);
        List<Map<String, Object>> body = List.of(Map.of("n", 1), Map.of(), Map.of("n", 3));

        // expected in the log: the exchange fails on the empty entry
        Exchange result = context.createProducerTemplate().request("redis-streams:crm:acks:partial", e -> e.getIn().setBody(body));

        assertThat(result.getException()).hasMessageContaining("Nothing to append");
        assertThat(entries("crm:acks:partial")).isEmpty();
    }

    @Test
    void fieldHeadersAreWrittenAsFieldsWhenTheBodyIsNotAMap() throws Exception {
        startCamel(NO_ROUTES);
        context.createProducerTemplate().sendBodyAndHeaders("redis-streams:s:headers?fieldHeaders=eventId,status",
                "ignored", Map.of("eventId", "e1", "status", "processed", "other", "x"));

        assertThat(entries("s:headers").get(0).getBody()).containsOnly(Map.entry("eventId", "e1"),
                Map.entry("status", "processed"));
    }

    @Test
    void theOverrideHeaderChoosesTheTargetStream() throws Exception {
        startCamel(NO_ROUTES);
        context.createProducerTemplate().sendBodyAndHeader("redis-streams:s:default", Map.of("a", "1"),
                RedisStreamsConstants.OVERRIDE_STREAM, "s:other");

        assertThat(redisCommands.xlen("s:other")).isEqualTo(1);
        assertThat(redisCommands.exists("s:default")).isZero();
    }

    @Test
    void maxLenTrimsTheStreamApproximately() throws Exception {
        startCamel(NO_ROUTES);
        ProducerTemplate template = context.createProducerTemplate();
        for (int i = 0; i < 2000; i++) {
            template.sendBody("redis-streams:s:trim?maxLen=100", Map.of("n", String.valueOf(i)));
        }
        // MAXLEN ~ trims whole radix-tree nodes (100 entries each by default): about, never below, 100
        assertThat(redisCommands.xlen("s:trim")).isBetween(100L, 300L);
    }

    @Test
    void aFailedWriteFailsTheExchange() throws Exception {
        context = newCamel(NO_ROUTES);
        // another Redis is another component instance
        context.addComponent("redis-nowhere", component("redis://127.0.0.1:" + EmbeddedRedis.freePort()));
        context.start();

        Exchange result = context.createProducerTemplate().request("redis-nowhere:s:x", e -> e.getIn().setBody(Map.of("a", "1")));

        assertThat(result.getException()).isNotNull();
    }

    @Test
    void anAclUserConnectsAndItsPasswordAppearsInNoLogOrEndpointUri() throws Exception {
        redisCommands.aclSetuser("crm", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("s3cret")
                .allKeys().allChannels().allCommands());
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            String url = "redis://crm:s3cret@127.0.0.1:" + redis.port();
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            context = newCamel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-acl:s:acl").routeId("acl").process(e -> got.add("x"));
                }
            });
            context.addComponent("redis-acl", component(url));
            context.start();
            context.createProducerTemplate().sendBody("redis-acl:s:acl", Map.of("a", "1"));
            org.awaitility.Awaitility.await().until(() -> got.size() == 1);

            assertThat(context.getRoute("acl").getEndpoint().getEndpointUri()).doesNotContain("s3cret");
            assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("s3cret"));
        } finally {
            root.detachAppender(logs);
            redisCommands.aclDeluser("crm");
        }
    }

    @Test
    void aLettuceClientBeanIsUsedInsteadOfTheUrlAndNotShutDown() throws Exception {
        io.lettuce.core.RedisClient bean = io.lettuce.core.RedisClient.create(redis.url());
        try {
            context = newCamel(NO_ROUTES);
            RedisStreamsComponent component = component("redis://127.0.0.1:1");
            component.setRedisClient(bean);
            context.addComponent("redis-bean", component);
            context.start();
            context.createProducerTemplate().sendBody("redis-bean:s:bean", Map.of("a", "1"));
            assertThat(redisCommands.xlen("s:bean")).isEqualTo(1);

            context.stop();
            context = null;
            try (var stillUsable = bean.connect()) {
                assertThat(stillUsable.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            bean.shutdown();
        }
    }

    private static RedisStreamsComponent component(String redisUrl) {
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(redisUrl);
        component.getConfiguration().setGroup("crm-consumers");
        return component;
    }
}
