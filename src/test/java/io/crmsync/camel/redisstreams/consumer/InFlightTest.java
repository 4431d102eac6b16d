package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightTest {

    // long, so the test that waits for a whole read does not depend on how fast a loaded machine releases permits
    private static final Duration LONG_WAIT = Duration.ofSeconds(10);

    @Test
    void anIdleConsumerReadsAFullBatchAtOnce() throws Exception {
        InFlight inFlight = new InFlight(1000, LONG_WAIT);

        assertThat(inFlight.acquire(100, false)).isEqualTo(100);
    }

    @Test
    void afterAFullReadASaturatedConsumerWaitsForAWholeReadRatherThanWhatOneCompletionFrees() throws Exception {
        InFlight inFlight = saturated(1000, 1, LONG_WAIT); // one exchange completed
        CompletableFuture.runAsync(() -> inFlight.release(99), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(inFlight.acquire(100, true)).isEqualTo(100);
    }

    @Test
    void aConsumerWhoseStreamHasNoBacklogTakesWhatIsFree() throws Exception {
        InFlight inFlight = saturated(1000, 3, LONG_WAIT);

        assertThat(inFlight.acquire(100, false)).isEqualTo(3);
    }

    @Test
    void whenCompletionsAreSlowAWholeReadIsWaitedForOnlyAShortWhile() throws Exception {
        InFlight inFlight = saturated(1000, 3, Duration.ofMillis(50));

        assertThat(inFlight.acquire(100, true)).isEqualTo(3);
    }

    @Test
    void aWholeReadIsNeverMoreThanHalfTheBound() throws Exception {
        InFlight inFlight = saturated(10, 5, LONG_WAIT);

        assertThat(inFlight.acquire(100, true)).isEqualTo(5);
        assertThat(inFlight.tryAcquire(10)).isZero();
    }

    @Test
    void aSaturatedConsumerWithNothingFreeReadsNothing() throws Exception {
        InFlight inFlight = saturated(10, 0, Duration.ofMillis(50));

        assertThat(inFlight.acquire(100, false)).isZero();
    }

    /** Every permit taken, then {@code free} of them given back by completed exchanges. */
    private static InFlight saturated(int max, int free, Duration wait) {
        InFlight inFlight = new InFlight(max, wait);
        inFlight.tryAcquire(max);
        inFlight.release(free);
        return inFlight;
    }
}
