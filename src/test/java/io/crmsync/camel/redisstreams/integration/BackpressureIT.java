package io.crmsync.camel.redisstreams.integration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.models.stream.PendingMessages;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureIT extends RedisStreamsITSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BackpressureIT.class);

    @Test
    void aLargeBacklogWithASlowRouteKeepsHeapAndInFlightBounded() throws Exception {
        String stream = "crm:sync:user:user_created";
        int backlog = 200_000;
        int maxInFlight = 500;
        String data = "{\"userId\":\"u\",\"email\":\"someone@example.com\",\"firstName\":\"Some\",\"lastName\":\"One\","
                + "\"padding\":\"" + "x".repeat(200) + "\"}";
        publishFast(stream, backlog, fields("eventType", "user_created", "tenantId", "t1", "data", data));
        long baseline = usedHeapAfterGc();

        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        startCamel(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?maxInFlight=" + maxInFlight + "&batchSize=100")
                        .process(e -> maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                        // slower than the stream: each entry waits 100 ms, asynchronously, so exchanges pile up
                        .delay(100).asyncDelayed()
                        .process(e -> {
                            inFlight.decrementAndGet();
                            done.incrementAndGet();
                        });
            }
        });

        long maxHeap = 0;
        long maxPending = 0;
        for (int i = 0; i < 16; i++) {
            Thread.sleep(500);
            maxHeap = Math.max(maxHeap, usedHeapAfterGc());
            PendingMessages pending = redisCommands.xpending(stream, "crm-consumers");
            maxPending = Math.max(maxPending, pending.getCount());
        }
        long growth = maxHeap - baseline;
        LOG.info("Backlog {}: processed {} while sampling, heap growth {} MiB, max in flight {}, max pending {}",
                backlog, done.get(), growth >> 20, maxSeen.get(), maxPending);

        assertThat(done.get()).as("the route made progress").isGreaterThan(1000);
        assertThat(done.get()).as("the backlog is far from drained").isLessThan(backlog / 2);
        assertThat(maxSeen.get()).isLessThanOrEqualTo(maxInFlight);
        // pending = in flight + completed but not yet acked (a few ack batches of 100, flushed every 100 ms)
        assertThat(maxPending).isLessThanOrEqualTo(maxInFlight + 400);
        // 200,000 entries of ~400 bytes would take hundreds of MiB as exchanges; the bound keeps it to a few
        assertThat(growth).as("heap growth in bytes").isLessThan(48L << 20);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
