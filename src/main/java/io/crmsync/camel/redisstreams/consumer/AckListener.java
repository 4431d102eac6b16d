package io.crmsync.camel.redisstreams.consumer;

/**
 * Told which ids Redis confirmed: for the acked counter, and so an entry counts as in flight until its XACK is sent
 * (a reclaim in between must not run it again).
 */
@FunctionalInterface
public interface AckListener {

    AckListener NONE = (stream, ids) -> { };

    void acked(String stream, java.util.List<String> ids);
}
