package io.crmsync.ops;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.parking-lot.*}: dead letters whose cause can heal are re-driven by themselves.
 *
 * @param reasons  the dead-letter reasons that can heal (a record that had not arrived yet)
 * @param interval how often they are re-driven (the parking-lot route's timer)
 * @param window   how long after its first dead letter an entry is still re-driven, whatever its event's age; then
 *                 it is left for an operator
 * @param maxPerRound most entries re-driven per reason and round
 */
@Validated
@ConfigurationProperties("crm.parking-lot")
record ParkingLotProperties(@NotNull List<String> reasons, @NotNull Duration interval, @NotNull Duration window,
        @Positive int maxPerRound) {
}
