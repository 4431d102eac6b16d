package io.crmsync.stores.mongodb.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.crmsync.core.event.EventRejectedException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The stream side of a property run: a queue of deliveries in a random order, with redeliveries of whatever failed
 * for a reason that is not the event's own, and every outcome each event met.
 *
 * @param <E> the events
 */
public final class Deliveries<E> {

    /**
     * One step of a run: a batch of {@code batch} deliveries written by instance {@code instance} (and, if
     * {@code parallel}, another batch by the other instance at the same time), or the ledger reconciler; with the
     * instance stopping after {@code faultAt} writes (none when negative), before or after its next write applied.
     */
    public record Step(int instance, int batch, int faultAt, boolean afterApplying, boolean reconcile, boolean parallel) {
    }

    public static Arbitrary<List<Step>> steps(int max) {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(1, 6),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(2, -1), net.jqwik.api.Tuple.of(1, 0), net.jqwik.api.Tuple.of(1, 1),
                        net.jqwik.api.Tuple.of(1, 2), net.jqwik.api.Tuple.of(1, 3)),
                Arbitraries.of(true, false), Arbitraries.frequency(net.jqwik.api.Tuple.of(5, false), net.jqwik.api.Tuple.of(1, true)),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(4, false), net.jqwik.api.Tuple.of(1, true)))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(max);
    }

    private final List<E> queue = new ArrayList<>();
    private final List<E> held = new ArrayList<>();
    private final Random random;
    private final Map<E, List<Object>> outcomes = new ConcurrentHashMap<>();

    public Deliveries(long seed) {
        this.random = new Random(seed);
    }

    public synchronized void enqueue(E event, int copies) {
        for (int i = 0; i < copies; i++) {
            queue.add(random.nextInt(queue.size() + 1), event);
        }
        outcomes.putIfAbsent(event, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    /** An event delivered only once {@code release} holds for it (a conflicting twin, after its original applied). */
    public void hold(E event) {
        held.add(event);
        outcomes.putIfAbsent(event, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    public void release(Predicate<E> ready) {
        for (E event : List.copyOf(held)) {
            if (ready.test(event)) {
                held.remove(event);
                enqueue(event, 1);
            }
        }
    }

    public boolean isEmpty() {
        return queue.isEmpty() && held.isEmpty();
    }

    public boolean hasQueued() {
        return !queue.isEmpty();
    }

    public synchronized List<E> take(int count) {
        List<E> batch = new ArrayList<>(queue.subList(0, Math.min(count, queue.size())));
        queue.subList(0, batch.size()).clear();
        return batch;
    }

    /** Records an outcome; a failure that is not the event's own (a crash, a lost race) brings it back later. */
    public synchronized void settled(E event, Object outcome) {
        outcomes.get(event).add(outcome);
        if (outcome instanceof Throwable && !(outcome instanceof EventRejectedException)) {
            queue.add(random.nextInt(queue.size() + 1), event);
        }
    }

    public List<Object> outcomes(E event) {
        return outcomes.get(event);
    }

    public boolean applied(E event) {
        return outcomes(event).stream().anyMatch(o -> !(o instanceof Throwable));
    }

    public List<EventRejectedException> rejections(E event) {
        return outcomes(event).stream().filter(EventRejectedException.class::isInstance)
                .map(EventRejectedException.class::cast).toList();
    }
}
