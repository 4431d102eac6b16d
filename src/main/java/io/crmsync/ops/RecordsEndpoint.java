package io.crmsync.ops;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.lang.Nullable;

/**
 * {@code GET /actuator/records?key=...&tenant=...&limit=...}: one entity's sync log, newest first; without a key, the
 * latest records of all.
 */
@Endpoint(id = "records")
class RecordsEndpoint {

    private final SyncLog log;

    RecordsEndpoint(SyncLog log) {
        this.log = log;
    }

    @ReadOperation
    List<Map<String, Object>> records(@Nullable String key, @Nullable String tenant, @Nullable Integer limit) {
        try {
            return key == null ? log.recent(limit == null ? 20 : limit) : log.of(key, tenant, limit == null ? 100 : limit);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
