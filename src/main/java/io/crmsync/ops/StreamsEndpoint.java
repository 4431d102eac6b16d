package io.crmsync.ops;

import java.util.List;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/streams}: every stream and group crm-sync consumes, with length, consumers, pending, lag,
 * oldest pending entry and last delivered id.
 */
@Endpoint(id = "streams")
class StreamsEndpoint {

    private final StreamsStatus status;

    StreamsEndpoint(StreamsStatus status) {
        this.status = status;
    }

    @ReadOperation
    List<StreamsStatus.StreamStatus> streams() {
        return status.all();
    }
}
