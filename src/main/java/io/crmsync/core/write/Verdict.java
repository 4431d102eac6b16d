package io.crmsync.core.write;

import java.util.List;

/**
 * Whether the store reflects an event: what {@code verify} reports for one stream entry.
 *
 * @param state     UP_TO_DATE, MISSING (no document or ledger entry), OLDER (fields older than the event),
 *                  DISAGREES (the ledger entry is not in its balance, or the balance is not its ledger's sum),
 *                  DIFFERS (the event was applied, but the row no longer holds what it wrote: changed by hand), or
 *                  NOT_APPLICABLE (the event writes nothing)
 * @param location  collection and id checked, such as {@code users/u-1}
 * @param fields    for OLDER, the fields whose stored value predates the event; for DIFFERS, what differs
 */
public record Verdict(State state, String location, List<String> fields) {

    public enum State { UP_TO_DATE, MISSING, OLDER, DISAGREES, DIFFERS, NOT_APPLICABLE }

    public boolean isProblem() {
        return state != State.UP_TO_DATE && state != State.NOT_APPLICABLE;
    }
}
