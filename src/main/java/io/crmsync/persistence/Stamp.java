package io.crmsync.persistence;

import java.time.Instant;

/**
 * The version a field value carries: event time, then event id to order two events of the same instant the same
 * way on every replica. Stored as a string that sorts like the pair, so stamps compare without decoding.
 */
record Stamp(String value) implements Comparable<Stamp> {

    static Stamp of(Instant time, String eventId) {
        long nanos = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        if (nanos < 0) {
            return new Stamp(String.format("%019d|%s", nanos, eventId));
        }
        // what String.format("%019d|%s") gives, without parsing a format at every event
        String digits = Long.toString(nanos);
        StringBuilder value = new StringBuilder(20 + eventId.length());
        value.append("0".repeat(19 - digits.length())).append(digits).append('|').append(eventId);
        return new Stamp(value.toString());
    }

    @Override
    public int compareTo(Stamp other) {
        return value.compareTo(other.value);
    }
}
