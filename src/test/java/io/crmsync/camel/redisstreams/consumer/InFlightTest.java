package io.crmsync.camel.redisstreams.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightTest {

    @Test
    void anIdleConsumerReadsAFullBatchAtOnce() throws Exception {
        InFlight inFlight = new InFlight(1000);

        assertThat(inFlight.acquire(100)).isEqualTo(100);
    }

    @Test
    void aSaturatedConsumerWaitsForAFullReadRatherThanReadingWhatOneCompletionFrees() throws Exception {
        InFlight inFlight = saturated(1000, 1); // one exchange completed
        CompletableFuture.runAsync(() -> inFlight.release(99), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(inFlight.acquire(100)).isEqualTo(100);
    }

    @Test
    void whenCompletionsAreSlowAReadTakesWhatIsFreeAfterAShortWait() throws Exception {
        InFlight inFlight = saturated(1000, 3);

        assertThat(inFlight.acquire(100)).isEqualTo(3);
    }

    @Test
    void aReadNeverWaitsForMoreThanHalfTheBound() throws Exception {
        InFlight inFlight = saturated(10, 5);

        assertThat(inFlight.acquire(100)).isEqualTo(5);
        assertThat(inFlight.tryAcquire(10)).isZero();
    }

    @Test
    void aSaturatedConsumerWithNothingFreeReadsNothing() throws Exception {
        InFlight inFlight = saturated(10, 0);

        assertThat(inFlight.acquire(100)).isZero();
    }

    /** Every permit taken, then {@code free} of them given back by completed exchanges. */
    private static InFlight saturated(int max, int free) {
        InFlight inFlight = new InFlight(max);
        inFlight.tryAcquire(max);
        inFlight.release(free);
        return inFlight;
    }
}
