package io.crmsync.ops;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code POST /actuator/repair}: with {@code stream} (and start, end, limit), re-apply the newest event of each entity
 * verify finds not reflected; with {@code relink} (a mismatch reason such as agent-uid-mismatch), relink and replay
 * those dead letters. Needs the admin token.
 */
@Endpoint(id = "repair")
class RepairEndpoint {

    private final Repairer repairer;

    RepairEndpoint(Repairer repairer) {
        this.repairer = repairer;
    }

    @WriteOperation
    Repairer.Report repair(@Nullable String stream, @Nullable String start, @Nullable String end, @Nullable Integer limit,
            @Nullable String relink) {
        if ((stream == null) == (relink == null)) {
            throw new InvalidEndpointRequestException("give either stream (re-apply what verify finds) or relink (a "
                    + "mismatch reason, such as agent-uid-mismatch)", "bad request");
        }
        if (limit != null && (limit < 1 || limit > VerifyEndpoint.MAX_LIMIT)) {
            throw new InvalidEndpointRequestException("limit must be between 1 and " + VerifyEndpoint.MAX_LIMIT,
                    "bad limit");
        }
        try {
            return relink != null ? repairer.relink(relink, limit == null ? DeadLetterFilter.DEFAULT_LIMIT : limit, "actuator")
                    : repairer.repair(stream, start == null ? "-" : start, end == null ? "+" : end,
                            limit == null ? VerifyEndpoint.DEFAULT_LIMIT : limit, "actuator");
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
