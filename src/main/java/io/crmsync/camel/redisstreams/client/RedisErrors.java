package io.crmsync.camel.redisstreams.client;

/**
 * Classifies Redis errors the component reacts to.
 */
public final class RedisErrors {

    private RedisErrors() {
    }

    /**
     * The server we are connected to is no longer the primary (Sentinel failover, cluster shard failover): READONLY on
     * writes, UNBLOCKED for a blocked read, MASTERDOWN from a replica that lost its primary. Only a new connection
     * (which asks Sentinel or the cluster topology again) reaches the new primary.
     */
    public static boolean isRoleChange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.startsWith("READONLY") || message.startsWith("UNBLOCKED")
                    || message.startsWith("MASTERDOWN"))) {
                return true;
            }
        }
        return false;
    }
}
