package io.crmsync.sources.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** How a check moves the slot's state, and so when the monitor counts the source as failed and restarts it. */
class SlotMonitorStateTest {

    private static final Instant STARTED = Instant.parse("2026-12-07T11:38:35Z");
    private static final Instant LATER = STARTED.plusSeconds(17);

    private static final SlotMonitor.State FIRST = new SlotMonitor.State(false, false, 0, null, STARTED, "not checked yet");

    @Test
    void aSlotMadeAfterTheMonitorStartedIsInactiveOnlyFromTheCheckThatFirstSawIt() {
        SlotMonitor.State missing = SlotMonitor.next(FIRST, false, false, false, 0, STARTED);

        // the connector made the slot, took its snapshot, and has not begun streaming at this check
        SlotMonitor.State made = SlotMonitor.next(missing, true, false, false, 0, LATER);

        assertThat(made.inactiveSince()).isEqualTo(LATER);
    }

    @Test
    void aSlotWithoutReaderStaysInactiveFromTheFirstCheckThatSawItSo() {
        SlotMonitor.State idle = SlotMonitor.next(FIRST, true, false, false, 0, STARTED);

        SlotMonitor.State still = SlotMonitor.next(idle, true, false, false, 0, LATER);

        assertThat(still.inactiveSince()).isEqualTo(STARTED);
    }

    @Test
    void aSnapshotRunningHereCountsAsReading() {
        SlotMonitor.State idle = SlotMonitor.next(FIRST, true, false, false, 0, STARTED);

        SlotMonitor.State snapshot = SlotMonitor.next(idle, true, false, true, 0, LATER);

        assertThat(snapshot.inactiveSince()).isNull();
        assertThat(snapshot.readerSince()).isNull();
    }

    @Test
    void aReaderKeepsTheTimeItBeganReading() {
        SlotMonitor.State read = SlotMonitor.next(FIRST, true, true, true, 0, STARTED);

        SlotMonitor.State still = SlotMonitor.next(read, true, true, true, 42, LATER);

        assertThat(still.readerSince()).isEqualTo(STARTED);
        assertThat(still.inactiveSince()).isNull();
        assertThat(still.lagBytes()).isEqualTo(42);
    }
}
