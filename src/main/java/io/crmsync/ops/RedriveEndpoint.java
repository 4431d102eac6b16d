package io.crmsync.ops;

import java.util.List;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code POST /actuator/redrive}: re-drive pending entries now (stream, minIdle such as 5m, default half of
 * crm.streams.min-idle-time; dryRun).
 */
@Endpoint(id = "redrive")
class RedriveEndpoint {

    private final PendingRedrive redrive;

    RedriveEndpoint(PendingRedrive redrive) {
        this.redrive = redrive;
    }

    @WriteOperation
    List<PendingRedrive.RedriveResult> redrive(@Nullable String stream, @Nullable String minIdle, @Nullable Boolean dryRun) {
        try {
            return redrive.redrive(stream, OpsParameters.duration("minIdle", minIdle, redrive.defaultMinIdle()),
                    Boolean.TRUE.equals(dryRun), "actuator");
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
