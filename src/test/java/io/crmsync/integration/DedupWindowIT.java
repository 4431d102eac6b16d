package io.crmsync.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The dedup window a route puts in front of a store that is not idempotent: once per event id, for 5 minutes. */
class DedupWindowIT extends SyncITSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @Test
    void an_event_id_passes_once_within_the_window() throws Exception {
        List<String> delivered = new ArrayList<>();
        String route = "dedup-" + tenant;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + route).routeId(route)
                        .idempotentConsumer(header("eventId")).idempotentRepository("dedupWindow")
                        .process(exchange -> delivered.add(exchange.getMessage().getBody(String.class)));
            }
        });

        producer.sendBodyAndHeader("direct:" + route, "first", "eventId", tenant + "-e1");
        producer.sendBodyAndHeader("direct:" + route, "again", "eventId", tenant + "-e1");
        producer.sendBodyAndHeader("direct:" + route, "other", "eventId", tenant + "-e2");

        assertThat(delivered).containsExactly("first", "other");
        assertThat(PUBLISHER.pttl("crm:dedup:" + tenant + "-e1")).isBetween(1L, 300_000L);
    }
}
