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

    private final Verifier verifier;

    VerifyEndpoint(Verifier verifier) {
        this.verifier = verifier;
    }

    @ReadOperation
    Verifier.Report verify(String stream, @Nullable String start, @Nullable String end, @Nullable Integer limit) {
        try {
            return verifier.verify(stream, start == null ? "-" : start, end == null ? "+" : end,
                    limit == null ? DEFAULT_LIMIT : limit, checked -> { });
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad request");
        }
    }
}
