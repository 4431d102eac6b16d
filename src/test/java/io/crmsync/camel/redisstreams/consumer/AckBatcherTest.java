package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckBatcherTest {

    private final List<String> calls = new ArrayList<>();
    private final AtomicBoolean redisDown = new AtomicBoolean();
    private final AtomicInteger acked = new AtomicInteger();

    private AckBatcher acknowledger(int batchSize) {
        return new AckBatcher((stream, ids) -> {
            if (redisDown.get()) {
                throw new IllegalStateException("connection refused");
            }
            calls.add(stream + ":" + ids);
        }, (stream, ids) -> acked.addAndGet(ids.size()), batchSize, Duration.ofHours(1), null);
    }

    @Test
    void acksAreSentAsOneXackPerStreamAndBatch() {
        AckBatcher ack = acknowledger(2);
        ack.ack("s1", "1-0");
        ack.ack("s1", "2-0");
        ack.ack("s1", "3-0");
        ack.ack("s2", "1-0");

        assertThat(ack.flush()).isTrue();

        assertThat(calls).containsExactlyInAnyOrder("s1:[1-0, 2-0]", "s1:[3-0]", "s2:[1-0]");
        assertThat(acked).hasValue(4);
        assertThat(ack.queued()).isZero();
    }

    @Test
    void failedAcksAreKeptAndSentOnceRedisIsBack() {
        AckBatcher ack = acknowledger(10);
        ack.ack("s1", "1-0");
        ack.ack("s1", "2-0");
        redisDown.set(true);

        assertThat(ack.flush()).isFalse();
        assertThat(ack.queued()).isEqualTo(2);

        redisDown.set(false);
        assertThat(ack.flush()).isTrue();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).startsWith("s1:").contains("1-0").contains("2-0");
        assertThat(acked).hasValue(2);
    }

    @Test
    void closeFlushesWhatIsQueued() {
        AckBatcher ack = acknowledger(100);
        ack.ack("s1", "1-0");

        ack.close();

        assertThat(calls).containsExactly("s1:[1-0]");
    }

    @Test
    void batchSizeOneAcksImmediatelyAndQueuesOnlyWhatFailed() {
        AckBatcher ack = acknowledger(1);
        ack.ack("s1", "1-0");
        assertThat(calls).containsExactly("s1:[1-0]");

        redisDown.set(true);
        ack.ack("s1", "2-0");
        assertThat(ack.queued()).isEqualTo(1);
        redisDown.set(false);
        assertThat(ack.flush()).isTrue();
        assertThat(calls).containsExactly("s1:[1-0]", "s1:[2-0]");
    }
}
