package io.crmsync.camel.redisstreams;

/**
 * Asked by a consumer before it starts: what it must wait for before it reads (the store its route writes to, say).
 * An entry read while that is away could only fail, count a delivery and wait for a reclaim; unread, it waits in the
 * stream instead.
 */
@FunctionalInterface
public interface StartCondition {

    /** What the consumer of {@code routeId} waits for, such as {@code mongodb at host:port}; null when it may start. */
    String waitingFor(String routeId);
}
