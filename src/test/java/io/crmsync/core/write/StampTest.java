package io.crmsync.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StampTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aStampStartsWithTheZeroPaddedNanosecondsAndEndsWithTheEventId() {
        for (Instant time : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(1, 5), Instant.parse("2026-11-23T04:28:03.123456789Z"),
                Instant.parse("2200-01-01T00:00:00Z")}) {
            long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
            assertThat(Stamp.of(time, false, "e-1").value()).startsWith(String.format("%019d|0|", nanos)).endsWith("|e-1");
        }
    }

    @Test
    void anEarlierEventSortsFirstWhateverElse() {
        assertThat(Stamp.of(T, true, "z")).isLessThan(Stamp.of(T.plusNanos(1), false, "a"));
    }

    @Test
    void withinOneStreamTheLaterEntryWinsATieAsANumberNotAsText() {
        assertThat(Stamp.of(T, false, "s/1700000000000-9")).isLessThan(Stamp.of(T, false, "s/1700000000000-10"));
    }

    @Test
    void aDeleteWinsATieAgainstANonDelete() {
        assertThat(Stamp.of(T, false, "z")).isLessThan(Stamp.of(T, true, "a"));
    }

    @Test
    void theSameEventAlwaysHasTheSameStampAndTwoEventsNever() {
        assertThat(Stamp.of(T, false, "e-9")).isEqualTo(Stamp.of(T, false, "e-9"));
        assertThat(Stamp.of(T, false, "e-09")).isNotEqualTo(Stamp.of(T, false, "e-9"));
    }
}
