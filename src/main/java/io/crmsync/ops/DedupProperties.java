package io.crmsync.ops;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.dedup.*}: the {@code dedupWindow} idempotent repository, for a route to a store that is not idempotent.
 *
 * @param window how long an event id is remembered
 */
@Validated
@ConfigurationProperties("crm.dedup")
record DedupProperties(@NotNull @DefaultValue("5m") Duration window) {
}
