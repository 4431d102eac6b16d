package io.crmsync.core.write;

import java.time.Instant;

import io.crmsync.core.event.CanonicalEvent;

/**
 * The version a field value carries, stored as a string that sorts like the tuple, so stamps compare without
 * decoding: event time (nanoseconds, 19 digits), then a delete before anything else of the same instant, then the
 * event id with its numbers compared as numbers, then the id as is. An event without an id of its own is
 * {@code <stream>/<entry id>}, so within one stream the later entry wins a tie ({@code ...-10} after {@code ...-9});
 * the same event delivered twice, or published twice, has the same stamp; and every replica orders two events of
 * one instant the same way.
 */
public record Stamp(String value) implements Comparable<Stamp> {

    public static Stamp of(CanonicalEvent event, boolean delete) {
        return of(event.time(), delete, event.id());
    }

    static Stamp of(Instant time, boolean delete, String eventId) {
        long nanos = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        StringBuilder value = new StringBuilder(64 + 2 * eventId.length());
        pad(value, Long.toString(nanos), 19).append('|').append(delete ? '1' : '0').append('|');
        // every run of digits padded to 20, so "...-9" sorts before "...-10"
        int i = 0;
        while (i < eventId.length()) {
            int start = i;
            if (Character.isDigit(eventId.charAt(i))) {
                while (i < eventId.length() && Character.isDigit(eventId.charAt(i))) {
                    i++;
                }
                pad(value, eventId.substring(start, i), 20);
            } else {
                value.append(eventId.charAt(i++));
            }
        }
        return new Stamp(value.append('|').append(eventId).toString());
    }

    private static StringBuilder pad(StringBuilder value, String digits, int width) {
        return value.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
    }

    /** Whether a delete wrote this stamp (false for stamps written before deletes were marked in them). */
    private boolean isDelete() {
        return saysDelete() && value.charAt(20) == '1';
    }

    /**
     * Whether a delete may have written this stamp: it says so, or it was written before stamps said whether a delete
     * wrote them (a {@code deleted} mark with such a stamp is a delete's).
     */
    public boolean mayBeDelete() {
        return isDelete() || !saysDelete();
    }

    /** Whether this stamp says if a delete wrote it: stamps written before deletes were marked in them do not. */
    private boolean saysDelete() {
        return value.length() > 21 && value.charAt(19) == '|' && (value.charAt(20) == '0' || value.charAt(20) == '1')
                && value.charAt(21) == '|';
    }

    @Override
    public int compareTo(Stamp other) {
        return value.compareTo(other.value);
    }
}
