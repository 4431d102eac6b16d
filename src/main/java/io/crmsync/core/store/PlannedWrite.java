package io.crmsync.core.store;

import java.util.List;
import java.util.function.Supplier;

import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;

/**
 * What a store endpoint asked only to plan ({@link io.crmsync.core.event.EventExchange#PLAN_ONLY}) puts in the body: the
 * mapping's write, and how its own store checks it, so {@code verify} asks each store about its own writes.
 */
public record PlannedWrite(Write write, Supplier<Verdict> check) {

    /** A skipped event: it writes nothing, so there is nothing to check. */
    static PlannedWrite skipped(Write.Skip skip) {
        return new PlannedWrite(skip, () -> new Verdict(Verdict.State.NOT_APPLICABLE, "", List.of()));
    }

    public Verdict verify() {
        return check.get();
    }
}
