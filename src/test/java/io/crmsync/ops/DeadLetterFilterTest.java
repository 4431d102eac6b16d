package io.crmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The filter as the audit log line names it. */
class DeadLetterFilterTest {

    @Test
    void aFilterNamesOnlyTheCriteriaSet() {
        DeadLetterFilter filter = new DeadLetterFilter("organization-not-found", null, Instant.parse("2024-01-15T10:00:00Z"),
                null, 10);

        assertThat(filter).hasToString("reason organization-not-found, from 2024-01-15T10:00:00Z, at most 10");
    }

    @Test
    void aReplayOfEveryEntrySaysSoRatherThanListingNullsAndTheLargestInteger() {
        DeadLetterFilter filter = OpsParameters.replayFilter(null, null, null, null, null);

        assertThat(filter).hasToString("every entry");
    }
}
