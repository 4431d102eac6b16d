package io.crmsync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StampTest {

    @Test
    void aStampIsTheZeroPaddedNanosecondsThenTheEventId() {
        for (Instant time : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(1, 5), Instant.parse("2026-11-23T04:28:03.123456789Z"),
                Instant.parse("2200-01-01T00:00:00Z")}) {
            long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
            assertThat(Stamp.of(time, "e-1").value()).isEqualTo(String.format("%019d|%s", nanos, "e-1"));
        }
    }

    @Test
    void stampsSortByTimeThenByEventId() {
        Stamp early = Stamp.of(Instant.parse("2026-01-01T00:00:00Z"), "z");
        Stamp late = Stamp.of(Instant.parse("2026-01-01T00:00:00.000000001Z"), "a");
        Stamp lateB = Stamp.of(Instant.parse("2026-01-01T00:00:00.000000001Z"), "b");

        assertThat(early).isLessThan(late);
        assertThat(late).isLessThan(lateB);
    }
}
