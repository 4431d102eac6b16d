package io.crmsync.routing;

import java.math.BigDecimal;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import io.crmsync.persistence.Write;
import org.bson.types.Decimal128;

/**
 * {@code creditLedger} and {@code creditBalances} (allocated, consumed) and {@code creditConfigs}.
 */
public class CreditEvents {

    public Write allocated(CanonicalEvent event) {
        return movement(event, "allocated", amount(event).abs());
    }

    public Write consumed(CanonicalEvent event) {
        // the ledger is signed so a balance is its plain sum
        return movement(event, "consumed", amount(event).abs().negate());
    }

    public Write configUpdated(CanonicalEvent event) {
        String key = event.entityId() != null ? event.entityId() : event.requiredAny("entityId", "configId");
        return new Write.FieldUpdate("creditConfigs", event.tenantId() + ":" + key, Fields.data(event).map());
    }

    private static Write movement(CanonicalEvent event, String type, BigDecimal amount) {
        String entityId = event.entityId() != null ? event.entityId() : event.requiredAny("entityId", "userId");
        String operationType = event.text("operationType");
        return new Write.CreditMovement(entityId, event.text("userId"), amount,
                operationType != null ? operationType : type, event.text("operationId"));
    }

    private static BigDecimal amount(CanonicalEvent event) {
        String text = event.required("amount");
        BigDecimal amount;
        try {
            amount = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "amount '" + text + "' of event " + event.id() + " is not a number");
        }
        try {
            // amounts are stored as Decimal128: one it cannot hold exactly is refused here, not by the batch's write
            new Decimal128(amount);
        } catch (NumberFormatException e) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "amount '" + text + "' of event " + event.id()
                    + " has more digits or a larger exponent than a Decimal128 holds");
        }
        return amount;
    }
}
