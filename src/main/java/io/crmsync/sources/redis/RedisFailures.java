package io.crmsync.sources.redis;

import io.crmsync.camel.redisstreams.MaxDeliveriesExceededException;
import io.crmsync.core.deadletter.FailureClassifier;
import io.crmsync.core.event.RejectReason;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.springframework.stereotype.Component;

/**
 * Redis's side of sorting a failure for the dead-letter step. Redis is where the streams are read and where dead
 * letters and acknowledgments are appended: unreachable or slow, it is waited out. An entry the redis-streams
 * consumer hands over past its delivery cap is dead-lettered as {@code max-deliveries}.
 */
@Component
public final class RedisFailures implements FailureClassifier {

    @Override
    public boolean isTransient(Throwable failure) {
        return failure instanceof RedisConnectionException || failure instanceof RedisCommandTimeoutException;
    }

    @Override
    public RejectReason reason(Throwable failure) {
        return failure instanceof MaxDeliveriesExceededException ? RejectReason.MAX_DELIVERIES : null;
    }
}
