package io.crmsync.persistence;

import java.math.BigDecimal;
import java.time.Instant;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Credit balances that stay exact under any redelivery (CONTRACT.md: {@code balance} = sum of the ledger).
 * <p>
 * The ledger entry is keyed by event id, so a redelivery inserts nothing. The balance is never incremented: it is
 * recomputed from the ledger and written with a compare-and-set on its revision, then checked again, until the
 * stored balance equals a sum taken after the write. Whichever writer finishes last therefore leaves the sum of
 * every entry it could see, and any later entry's writer does the same: no lost or double-counted movement, with
 * no transaction.
 */
final class CreditLedger {

    private static final int MAX_ATTEMPTS = 32;

    private final MongoCollection<Document> ledger;
    private final MongoCollection<Document> balances;

    CreditLedger(MongoCollection<Document> ledger, MongoCollection<Document> balances) {
        this.ledger = ledger;
        this.balances = balances;
    }

    Outcome apply(String eventId, String tenantId, Instant time, Write.CreditMovement movement) {
        // a redelivery finds its entry already there; settling again is harmless and repairs a balance left behind
        record(eventId, tenantId, time, movement);
        settle(tenantId, movement.entityId());
        return Outcome.PROCESSED;
    }

    private void record(String eventId, String tenantId, Instant time, Write.CreditMovement movement) {
        Document entry = new Document("tenantId", tenantId)
                .append("entityId", movement.entityId())
                .append("userId", movement.userId())
                .append("amount", new Decimal128(movement.amount()))
                .append("operationType", movement.operationType())
                .append("operationId", movement.operationId())
                .append("timestamp", time.toString());
        try {
            ledger.updateOne(Filters.and(Filters.eq("_id", eventId), Filters.eq("tenantId", tenantId)),
                    Updates.setOnInsert(entry), new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                // the filter missed an existing _id: that event id is another tenant's
                throw new EventRejectedException(RejectReason.TENANT_MISMATCH, "credit event " + eventId + " belongs to another tenant");
            }
            throw e;
        }
    }

    private void settle(String tenantId, String entityId) {
        String balanceId = tenantId + ":" + entityId;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Sum sum = sum(tenantId, entityId);
            Document current = balances.find(Filters.eq("_id", balanceId)).first();
            if (current == null) {
                // inserted or lost the race: either way the next round verifies against a sum taken after it
                insert(balanceId, tenantId, entityId, sum);
                continue;
            }
            BigDecimal stored = decimal(current.get("balance"));
            long entries = ((Number) current.get("entries", 0L)).longValue();
            if (entries == sum.entries() && stored.compareTo(sum.total()) == 0) {
                return;
            }
            long rev = ((Number) current.get("rev", 0L)).longValue();
            balances.updateOne(Filters.and(Filters.eq("_id", balanceId), Filters.eq("tenantId", tenantId), Filters.eq("rev", rev)),
                    Updates.combine(Updates.set("balance", new Decimal128(sum.total())), Updates.set("entries", sum.entries()),
                            Updates.set("updatedAt", Instant.now().toString()), Updates.inc("rev", 1L)));
        }
        throw new ConcurrentWriteException("credit balance " + balanceId + " kept changing over " + MAX_ATTEMPTS + " attempts");
    }

    private Sum sum(String tenantId, String entityId) {
        BigDecimal total = BigDecimal.ZERO;
        long entries = 0;
        for (Document entry : ledger.find(Filters.and(Filters.eq("tenantId", tenantId), Filters.eq("entityId", entityId)))
                .projection(Projections.include("amount"))) {
            total = total.add(decimal(entry.get("amount")));
            entries++;
        }
        return new Sum(total, entries);
    }

    private void insert(String balanceId, String tenantId, String entityId, Sum sum) {
        try {
            balances.insertOne(new Document("_id", balanceId).append("tenantId", tenantId).append("entityId", entityId)
                    .append("balance", new Decimal128(sum.total())).append("entries", sum.entries())
                    .append("updatedAt", Instant.now().toString()).append("rev", 1L));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof Decimal128 d) {
            return d.bigDecimalValue();
        }
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
    }

    private record Sum(BigDecimal total, long entries) {
    }
}
