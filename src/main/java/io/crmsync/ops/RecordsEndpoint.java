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

    /**
     * A dead-lettered record's error names what was not found or refused (an email, a key's values): over HTTP, which
     * needs no token, only its reason code is shown. The records command shows it whole.
     */
    private static void reasonOnly(Map<String, Object> record) {
        if (record.get("error") instanceof String error && error.contains(": ")) {
            record.put("error", error.substring(0, error.indexOf(": ")));
        }
    }

    @ReadOperation
    List<Map<String, Object>> records(@Nullable String key, @Nullable String tenant, @Nullable Integer limit) {
        try {
            List<Map<String, Object>> records = key == null ? log.recent(limit == null ? 20 : limit)
                    : log.of(key, tenant, limit == null ? 100 : limit);
            records.forEach(RecordsEndpoint::reasonOnly);
            return records;
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
