package io.crmsync.ops;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.lang.Nullable;

/**
 * {@code GET /actuator/verify?stream=...&start=...&end=...&limit=...}: the entries of a range that MongoDB does not
 * reflect.
 */
@Endpoint(id = "verify")
class VerifyEndpoint {

    static final int DEFAULT_LIMIT = 10_000;
    // a request holds an HTTP thread while it reads; larger ranges are for the verify command, which shows progress
    static final int MAX_LIMIT = 100_000;

    private final Verifier verifier;

    VerifyEndpoint(Verifier verifier) {
        this.verifier = verifier;
    }

    @ReadOperation
    Verifier.Report verify(String stream, @Nullable String start, @Nullable String end, @Nullable Integer limit) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new InvalidEndpointRequestException("limit must be between 1 and " + MAX_LIMIT
                    + "; use the verify command for larger ranges", "bad limit");
        }
        try {
            return verifier.verify(stream, start == null ? "-" : start, end == null ? "+" : end,
                    limit == null ? DEFAULT_LIMIT : limit, checked -> { });
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
