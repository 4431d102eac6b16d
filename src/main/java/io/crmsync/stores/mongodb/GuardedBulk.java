package io.crmsync.stores.mongodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import org.bson.Document;

/**
 * One unordered bulk write whose items each carry what they settle. An item that fails with a duplicate key on
 * {@code _id} lost a guard (its filter missed a document that exists, so the upsert's insert collided with the
 * {@code _id}) and is handed back to be read again; any other per-item error (a duplicate on another unique index, a
 * validator's refusal) fails that item alone, as {@code write-rejected}.
 *
 * @param <C> what an item settles
 */
final class GuardedBulk<C> {

    static final RejectReason WRITE_REJECTED = new RejectReason("write-rejected");
    // "... index: _id_ dup key ...": the _id index, or (mongo-java-server) a guard index, which all start with _id
    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("index: (\\S+)");

    record Failure<C>(C context, RuntimeException error) {
    }

    record Result<C>(List<C> written, List<C> lost, List<Failure<C>> failed) {
    }

    private final List<WriteModel<Document>> models = new ArrayList<>();
    private final List<C> contexts = new ArrayList<>();
    private final WriteAcknowledgements acknowledgements;

    private final Set<Integer> existing = new HashSet<>();

    /** @param acknowledgements told when MongoDB's majority acknowledged this bulk write: only a write sent can say so */
    GuardedBulk(WriteAcknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    void add(WriteModel<Document> model, C context) {
        models.add(model);
        contexts.add(context);
    }

    /**
     * An update of a document the caller believes exists: if the upsert inserts instead, the document was gone (deleted
     * by hand), so the write counts as a lost race and the caller reads what is there now.
     */
    void addToExisting(WriteModel<Document> model, C context) {
        existing.add(models.size());
        add(model, context);
    }

    private void lostIfExisting(int index, Set<Integer> lost) {
        if (existing.contains(index)) {
            lost.add(index);
        }
    }

    /** A duplicate key on {@code _id} (or a guard index of {@code _id}, tenant and revision) is a lost race. */
    static boolean onGuard(String message) {
        java.util.regex.Matcher index = INDEX.matcher(message == null ? "" : message);
        return !index.find() || index.group(1).startsWith("_id");
    }

    /**
     * @throws com.mongodb.MongoException when the whole write failed (or its write concern did): nothing is settled
     */
    Result<C> execute(MongoCollection<Document> collection) {
        if (models.isEmpty()) {
            return new Result<>(List.of(), List.of(), List.of());
        }
        Set<Integer> lost = new HashSet<>();
        Map<Integer, RuntimeException> failed = new HashMap<>();
        try {
            collection.bulkWrite(models, new BulkWriteOptions().ordered(false)).getUpserts()
                    .forEach(upsert -> lostIfExisting(upsert.getIndex(), lost));
            acknowledgements.acknowledged();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e;
            }
            if (e.getWriteErrors().size() < models.size()) {
                // the write concern held for the documents it applied; refused items say nothing of the majority
                acknowledgements.acknowledged();
            }
            e.getWriteResult().getUpserts().forEach(upsert -> lostIfExisting(upsert.getIndex(), lost));
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY && onGuard(error.getMessage())) {
                    lost.add(error.getIndex());
                } else {
                    // the document itself is refused (a unique index of the CRM's, its validator): retrying cannot help
                    failed.put(error.getIndex(), new EventRejectedException(WRITE_REJECTED, "MongoDB refused the write: "
                            + error.getMessage(), new MongoWriteException(new WriteError(error.getCode(), error.getMessage(),
                            error.getDetails()), e.getServerAddress(), e.getErrorLabels())));
                }
            }
        }
        Result<C> result = new Result<>(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < contexts.size(); i++) {
            if (lost.contains(i)) {
                result.lost().add(contexts.get(i));
            } else if (failed.containsKey(i)) {
                result.failed().add(new Failure<>(contexts.get(i), failed.get(i)));
            } else {
                result.written().add(contexts.get(i));
            }
        }
        return result;
    }
}
