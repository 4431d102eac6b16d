package io.crmsync.camel.redisstreams.consumer;

import java.util.List;

/**
 * The XACK call, behind an interface so acknowledgers can be tested without Redis.
 */
@FunctionalInterface
public interface AckSender {

    /** XACK stream group ids...; throws when Redis cannot be reached. */
    void send(String stream, List<String> ids);
}
