package io.crmsync.ops;

import java.util.List;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/deadletters}: GET lists (filters reason, eventType, from, to, limit), GET {@code /{id}} inspects,
 * POST replays the matching entries to their source streams ({@code dryRun=true} only counts them).
 */
@Endpoint(id = "deadletters")
class DeadLettersEndpoint {

    private final DeadLetterTool tool;

    DeadLettersEndpoint(DeadLetterTool tool) {
        this.tool = tool;
    }

    @ReadOperation
    List<DeadLetterEntry> list(@Nullable String reason, @Nullable String eventType, @Nullable String from,
            @Nullable String to, @Nullable Integer limit) {
        return tool.list(OpsParameters.filter(reason, eventType, from, to, limit));
    }

    @ReadOperation
    DeadLetterEntry inspect(@Selector String id) {
        try {
            return tool.inspect(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "unknown id");
        }
    }

    /** {@code POST /actuator/deadletters/{id}}: replays that one entry (the console's replay button). */
    @WriteOperation
    DeadLetterTool.ReplayResult replayOne(@Selector String id) {
        try {
            return tool.replay(List.of(tool.inspect(id)), "actuator");
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "unknown id");
        }
    }

    @WriteOperation
    DeadLetterTool.ReplayResult replay(@Nullable String reason, @Nullable String eventType, @Nullable String from,
            @Nullable String to, @Nullable Integer limit, @Nullable Boolean dryRun) {
        return tool.replay(OpsParameters.replayFilter(reason, eventType, from, to, limit), Boolean.TRUE.equals(dryRun), "actuator");
    }
}
