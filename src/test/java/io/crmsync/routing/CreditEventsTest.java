package io.crmsync.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.crmsync.event.CanonicalEvent;
import io.crmsync.event.EventRejectedException;
import io.crmsync.event.RejectReason;
import io.crmsync.persistence.Write;
import org.junit.jupiter.api.Test;

class CreditEventsTest {

    private final CreditEvents credits = new CreditEvents();

    private static CanonicalEvent credit(String amount) {
        return new CanonicalEvent("e-1", "credit.consumed", "t", "user", "u-1", Instant.EPOCH,
                Map.of("amount", amount), Map.of(), "credit-events", "1-0", Map.of());
    }

    @Test
    void aConsumedAmountIsStoredNegativeWhateverItsSign() {
        Write.CreditMovement movement = (Write.CreditMovement) credits.consumed(credit("12.50"));
        assertThat(movement.amount()).isEqualByComparingTo(new BigDecimal("-12.50"));
        assertThat(((Write.CreditMovement) credits.consumed(credit("-3"))).amount()).isEqualByComparingTo("-3");
    }

    @Test
    void anAmountADecimal128CannotHoldIsRejectedBeforeItReachesABatch() {
        assertThatThrownBy(() -> credits.allocated(credit("1" + "0".repeat(40) + ".5")))
                .isInstanceOfSatisfying(EventRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD))
                .hasMessageContaining("Decimal128");
    }
}
