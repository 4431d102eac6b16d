package io.crmsync.camel.redisstreams.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The entries a consumer holds between reading and acking, shared by its poll tasks: a permit each, which bounds how
 * many are read ahead of the route (and so memory), and the entry itself, so a reclaim never runs an entry that is
 * still being processed here.
 */
public final class InFlight {

    private final int max;
    private final Semaphore permits;
    private final Set<String> entries = ConcurrentHashMap.newKeySet();

    public InFlight(int max) {
        this.max = Math.max(1, max);
        this.permits = new Semaphore(this.max);
    }

    /**
     * Permits for the next read: {@code batch} of them, or half the bound if that is less, waiting up to a short while
     * for them to be free; after that, as many as are free (0 when none). The short wait keeps stop and suspend
     * responsive while the route is saturated.
     * <p>
     * Waiting for a full read, rather than taking the few permits each completion frees, is what keeps reads (and the
     * XACKs after them) large under a backlog: taking whatever was free made a drain's XREADGROUPs carry about 25
     * entries instead of 100 (docs/benchmarks.md). Half the bound stays in flight meanwhile, so the route never runs dry.
     */
    int acquire(int batch) throws InterruptedException {
        int want = Math.max(1, Math.min(batch, max / 2));
        if (permits.tryAcquire(want, 200, TimeUnit.MILLISECONDS)) {
            return want;
        }
        return tryAcquire(want);
    }

    /** Takes as many permits as are free now, up to {@code most}. */
    int tryAcquire(int most) {
        int got = 0;
        while (got < most && permits.tryAcquire()) {
            got++;
        }
        return got;
    }

    void release(int count) {
        if (count > 0) {
            permits.release(count);
        }
    }

    /** @return false when the entry is in flight already (claimed back while it is still being processed here) */
    boolean start(String stream, String id) {
        return entries.add(key(stream, id));
    }

    /** The entry is acked, or failed and left pending: a later delivery may run it. */
    public void end(String stream, String id) {
        entries.remove(key(stream, id));
    }

    boolean contains(String stream, String id) {
        return entries.contains(key(stream, id));
    }

    /** The ids of the entries of one stream in flight now. */
    List<String> idsOf(String stream) {
        String prefix = stream + '/';
        return entries.stream().filter(key -> key.startsWith(prefix)).map(key -> key.substring(prefix.length())).toList();
    }

    public int size() {
        return entries.size();
    }

    /** Exchanges still holding a permit after waiting up to {@code timeout} for them to complete. */
    public int awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (permits.availablePermits() < max && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return max - permits.availablePermits();
    }

    public void clear() {
        entries.clear();
    }

    private static String key(String stream, String id) {
        return stream + '/' + id;
    }
}
