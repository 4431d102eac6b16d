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
        InFlight inFlight = new InFlight(1000);
        inFlight.tryAcquire(1000);
        inFlight.release(1); // one exchange completed
        CompletableFuture.runAsync(() -> inFlight.release(99), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(inFlight.acquire(100)).isEqualTo(100);
    }

    @Test
    void whenCompletionsAreSlowAReadTakesWhatIsFreeAfterAShortWait() throws Exception {
        InFlight inFlight = new InFlight(1000);
        inFlight.tryAcquire(1000);
        inFlight.release(3);

        assertThat(inFlight.acquire(100)).isEqualTo(3);
    }

    @Test
    void aReadNeverWaitsForMoreThanHalfTheBound() throws Exception {
        InFlight inFlight = new InFlight(10);
        inFlight.tryAcquire(10);
        inFlight.release(5);

        assertThat(inFlight.acquire(100)).isEqualTo(5);
        assertThat(inFlight.tryAcquire(10)).isZero();
    }

    @Test
    void aSaturatedConsumerWithNothingFreeReadsNothing() throws Exception {
        InFlight inFlight = new InFlight(10);
        inFlight.tryAcquire(10);

        assertThat(inFlight.acquire(100)).isZero();
    }
}
