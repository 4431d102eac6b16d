package io.crmsync.core.store;

import java.util.concurrent.CompletionStage;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.write.Outcome;
import io.crmsync.core.write.Verdict;
import io.crmsync.core.write.Write;

/**
 * One store endpoint's target in its store (a MongoDB collection, a PostgreSQL table): what a store implements so
 * that {@link StoreProducer} can write the mappings' plans to it. The mappings plan with plain values (BigDecimal,
 * Instant, strings, lists, maps); the store turns them into its own types.
 *
 * @param <P> the store's own form of one event's write, as {@link #plan} makes it
 */
public interface Store<P> {

    /**
     * Refuses a mapping this target could never write, with the option or section at fault: when the endpoint is
     * created, so both at start-up and by {@code validate}, before anything is written.
     */
    void check(Mapping mapping);

    /** What the mappings write to: this endpoint's collection or table. */
    Mapping.Target target();

    /**
     * Where the mappings' lookups find records: this store's, within the event's tenant. Also where a delete that
     * names no tenant finds the tenant of the record it deletes ({@link Directory#tenantOf}).
     */
    Directory directory();

    /**
     * This store's write of one event, checked before any batch: a value the store cannot hold fails this event
     * alone ({@link io.crmsync.core.event.EventRejectedException}), never the others of its batch.
     *
     * @param write  a field update or a credit movement, never a skip
     * @param repair the write must be made even where the store's stamps say it was ({@code repair})
     */
    P plan(CanonicalEvent event, Write write, boolean repair);

    /** Where the write goes, for the event's record: {@code <store>:<collection>/<id>}. */
    String location(P planned);

    /** Queues the write for the next batch; completes once it is durable, with its outcome, or with why it failed. */
    CompletionStage<Outcome> submit(P planned);

    /** Without writing: does the store reflect this write ({@code verify})? */
    Verdict verify(P planned);
}
