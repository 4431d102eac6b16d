package io.crmsync.ops.cli;

import java.time.Duration;

/**
 * Durations for people: 3m12s.
 */
final class Ages {

    private Ages() {
    }

    static String of(Long millis) {
        if (millis == null) {
            return "-";
        }
        Duration d = Duration.ofMillis(millis);
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m"
                : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
