package io.crmsync.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.convert.DurationStyle;

/**
 * Parameter parsing shared by the endpoints and the commands; a bad value is a clear 400, not a stack trace.
 */
public final class OpsParameters {

    private OpsParameters() {
    }

    public static Instant instant(String name, String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEndpointRequestException(name + " '" + value + "' is not an ISO-8601 instant such as 2024-01-15T10:00:00Z",
                    "bad " + name);
        }
    }

    public static Duration duration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Duration duration;
        try {
            // the same forms application.yaml takes (30s, 5m, PT1M)
            duration = DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException e) {
            duration = null;
        }
        if (duration == null || duration.isNegative()) {
            throw new InvalidEndpointRequestException(name + " '" + value + "' is not a duration such as 30s, 5m or PT1M", "bad " + name);
        }
        return duration;
    }

    /** A replay covers every matching entry unless a limit is given; a listing shows the default page. */
    public static DeadLetterFilter replayFilter(String reason, String eventType, String from, String to, Integer limit) {
        return filter(reason, eventType, from, to, limit == null ? Integer.MAX_VALUE : limit);
    }

    public static DeadLetterFilter filter(String reason, String eventType, String from, String to, Integer limit) {
        try {
            return new DeadLetterFilter(blankToNull(reason), blankToNull(eventType), instant("from", from), instant("to", to),
                    limit == null ? 0 : limit);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad filter");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
