package io.crmsync.ops;

import java.time.Duration;

import io.lettuce.core.SetArgs;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A dedup window in Redis, for a route that writes to a store that is not idempotent (an HTTP call, a mail): Camel's
 * {@code idempotentConsumer} with {@code idempotentRepository: dedupWindow} lets an event id through once per
 * {@code crm.dedup.window} (the loyalty team's 5 minutes), across instances. crm-sync's own stores never need it:
 * their writes are idempotent by themselves.
 */
public class DedupWindow extends ServiceSupport implements IdempotentRepository {

    static final String PREFIX = "crm:dedup:";

    private final OpsRedis redis;
    private final Duration window;

    DedupWindow(OpsRedis redis, Duration window) {
        this.redis = redis;
        this.window = window;
    }

    /** True the first time a key is seen within the window (the exchange goes on), false after. */
    @Override
    public boolean add(String key) {
        return "OK".equals(redis.strings().set(PREFIX + key, "1", SetArgs.Builder.nx().px(window.toMillis())));
    }

    @Override
    public boolean contains(String key) {
        return redis.keys().exists(PREFIX + key) > 0;
    }

    /** A failed exchange takes its key back out, so its redelivery is not mistaken for a duplicate. */
    @Override
    public boolean remove(String key) {
        return redis.keys().del(PREFIX + key) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the dedup window expires by itself; clearing it would let duplicates "
                + "through");
    }
}
