package io.crmsync.ops;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.console.*}: the web console's charts of each stream's lag and throughput.
 *
 * @param historySpan     how far back the charts reach
 * @param historyInterval how often the meters are sampled for them
 */
@Validated
@ConfigurationProperties("crm.console")
record ConsoleProperties(@NotNull Duration historySpan, @NotNull Duration historyInterval) {
}
