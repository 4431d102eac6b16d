package io.crmsync.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.ops.*}: the ops actions over HTTP.
 *
 * @param adminToken bearer token for state-changing actions and for reading payloads; blank disables them over HTTP
 */
@Validated
@ConfigurationProperties("crm.ops")
record OpsProperties(@DefaultValue("") String adminToken) {
}
