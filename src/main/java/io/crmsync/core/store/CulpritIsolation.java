package io.crmsync.core.store;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Writes a batch together and, if the store refuses it as a whole for what one item holds (a document nested too
 * deep, a value a column's type refuses), writes each half again, down to the one item to blame, which fails alone:
 * the others are written, at a cost of a few round trips per culprit rather than one per item. A failure of the store
 * itself (unreachable, shutting down, no primary) is thrown, since every item would fail alike: the caller fails what
 * is left, for the route's redeliveries. Every store's batches go through here.
 */
public final class CulpritIsolation {

    /** Writes the given items together, or throws. */
    @FunctionalInterface
    public interface Batch<T, E extends Exception> {
        void write(List<T> items) throws E;
    }

    /** How a store tells its own failure from a refusal of one item's data, and what the culprit fails with. */
    public interface Failures {

        /** The store failed as a whole: every item would fail alike, and later succeed alike. */
        boolean isInfrastructure(Exception failure);

        /** What the one item to blame fails with: as a rule {@code write-rejected}, naming what the store said. */
        Throwable culprit(Exception failure);
    }

    private CulpritIsolation() {
    }

    /**
     * @param settled items a failed attempt already settled (a store may settle some items of a batch it then fails):
     *                left out of the retries
     * @param fail    fails one item alone
     * @throws E an infrastructure failure, met on the first try or on the way down
     */
    public static <T, E extends Exception> void write(List<T> items, Batch<T, E> batch, Predicate<T> settled,
            BiConsumer<T, Throwable> fail, Failures failures) throws E {
        List<T> unsettled = items.stream().filter(settled.negate()).toList();
        if (unsettled.isEmpty()) {
            return;
        }
        try {
            batch.write(unsettled);
        } catch (Exception e) {
            if (failures.isInfrastructure(e)) {
                throw e;
            }
            if (unsettled.size() == 1) {
                fail.accept(unsettled.get(0), failures.culprit(e));
                return;
            }
            int half = unsettled.size() / 2;
            write(unsettled.subList(0, half), batch, settled, fail, failures);
            write(unsettled.subList(half, unsettled.size()), batch, settled, fail, failures);
        }
    }
}
