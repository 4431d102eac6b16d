package io.crmsync.ops;

import java.time.Instant;

/**
 * Stream entry ids: {@code <milliseconds>-<sequence>}.
 */
final class EntryIds {

    private EntryIds() {
    }

    static Instant time(String entryId) {
        int dash = entryId.indexOf('-');
        return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash)));
    }
}
