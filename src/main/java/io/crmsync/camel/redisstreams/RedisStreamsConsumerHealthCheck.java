package io.crmsync.camel.redisstreams;

import java.util.Map;

import io.crmsync.camel.redisstreams.consumer.StreamPollTask;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one redis-streams consumer: DOWN while any poll task is not reading (starting, disconnected,
 * suspended, stopping) or has not completed a Redis call for longer than a blocking read can take. Details name the
 * stream, group, consumer and state, never the Redis URL.
 */
public class RedisStreamsConsumerHealthCheck extends AbstractHealthCheck {

    private final RedisStreamsConsumer consumer;

    public RedisStreamsConsumerHealthCheck(RedisStreamsConsumer consumer, String routeId) {
        super("camel", "redis-streams-consumer-" + routeId);
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        // a Redis outage should take the pod out of service, not restart it
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RedisStreamsConfiguration config = consumer.configuration();
        long stallMillis = 2 * config.getBlockTime().toMillis() + 5000;
        long now = System.currentTimeMillis();
        builder.detail("group", config.getGroup());
        if (consumer.isSuspendingOrSuspended()) {
            // the tasks notice within one block time; the answer must not wait for them
            builder.down();
            builder.detail("state", StreamPollTask.State.SUSPENDED.name());
            builder.message("Consumer of group " + config.getGroup() + " is suspended");
            return;
        }
        String waitingFor = consumer.waitingFor();
        if (waitingFor != null) {
            builder.down();
            builder.detail("waitingFor", waitingFor);
            builder.message("Consumer of group " + config.getGroup() + " does not read yet: waiting for " + waitingFor);
            return;
        }
        for (StreamPollTask task : consumer.getTasks()) {
            StreamPollTask.State state = task.state();
            boolean running = state == StreamPollTask.State.DRAINING_PENDING || state == StreamPollTask.State.READING;
            boolean stalled = now - task.lastProgressMillis() > stallMillis;
            if (!running || stalled) {
                builder.down();
                builder.detail("stream", task.stream());
                builder.detail("consumer", task.consumerName());
                builder.detail("state", stalled && running ? "STALLED" : state.name());
                builder.message("Redis stream " + task.stream() + " of group " + config.getGroup() + " consumer "
                        + task.consumerName() + " is " + (stalled && running ? "stalled" : state.name()));
                return;
            }
        }
        if (consumer.getTasks().isEmpty()) {
            builder.down();
            builder.message("No poll task running");
            return;
        }
        builder.up();
    }
}
