package io.crmsync.stores.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.store.CulpritIsolation;
import io.crmsync.core.write.Outcome;

/**
 * The records of the memory store, written in batches the test flushes. A batch holding a record with a field
 * {@code poison} is refused as a whole, as a database refuses a transaction for one row's value, so the core's
 * {@link CulpritIsolation} has a culprit to find.
 */
public class MemoryStore implements Directory {

    /** One record as this store keeps it. */
    public record Record(String collection, String id, String tenantId, Map<String, Object> fields) {
    }

    private record Pending(Record record, CompletableFuture<Outcome> outcome) {
    }

    static final RejectReason WRITE_REJECTED = new RejectReason("write-rejected");

    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final List<Pending> queue = new ArrayList<>();
    // how many batches were written (or refused): the culprit's isolation shows in it
    private int attempts;

    synchronized CompletionStage<Outcome> submit(Record record) {
        Pending pending = new Pending(record, new CompletableFuture<>());
        queue.add(pending);
        return pending.outcome();
    }

    /** Writes what queued up as one batch. */
    public synchronized void flush() {
        List<Pending> batch = List.copyOf(queue);
        queue.clear();
        CulpritIsolation.write(batch, this::write, pending -> pending.outcome().isDone(),
                (pending, failure) -> pending.outcome().completeExceptionally(failure), new CulpritIsolation.Failures() {
                    @Override
                    public boolean isInfrastructure(Exception failure) {
                        return false;
                    }

                    @Override
                    public Throwable culprit(Exception failure) {
                        return new EventRejectedException(WRITE_REJECTED, failure.getMessage());
                    }
                });
    }

    private void write(List<Pending> batch) {
        attempts++;
        if (batch.stream().anyMatch(p -> p.record().fields().containsKey("poison"))) {
            throw new IllegalArgumentException("a record holds poison");
        }
        batch.forEach(p -> {
            records.put(p.record().collection() + "/" + p.record().id(), p.record());
            p.outcome().complete(Outcome.PROCESSED);
        });
    }

    public Record stored(String collection, String id) {
        return records.get(collection + "/" + id);
    }

    public Map<String, Record> records() {
        return Map.copyOf(records);
    }

    public synchronized int queued() {
        return queue.size();
    }

    public synchronized int attempts() {
        return attempts;
    }

    @Override
    public String tenantOf(String collection, String key) {
        Record stored = records.get(collection + "/" + key);
        return stored == null ? null : stored.tenantId();
    }

    @Override
    public Map<String, Object> find(String tenantId, String collection, Map<String, Object> match) {
        return records.values().stream().filter(r -> r.collection().equals(collection) && r.tenantId().equals(tenantId)
                && match.entrySet().stream().allMatch(m -> m.getValue().equals(r.fields().get(m.getKey()))))
                .findFirst().map(Record::fields).orElse(null);
    }
}
