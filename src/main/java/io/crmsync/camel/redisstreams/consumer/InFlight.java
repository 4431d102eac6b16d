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
    private final long waitMillis;

    public InFlight(int max) {
        this(max, Duration.ofMillis(200));
    }

    /** @param wait how long a read waits for its permits (see {@link #acquire}) */
    InFlight(int max, Duration wait) {
        this.max = Math.max(1, max);
        this.permits = new Semaphore(this.max);
        this.waitMillis = wait.toMillis();
    }

    /**
     * Permits for the next read: as many as are free, up to {@code batch}, waiting up to a short while for the first
     * one; 0 when none came. The short wait keeps stop and suspend responsive while the route is saturated.
     * <p>
     * With {@code full}, which the poll loop asks for when its previous read came back full (its stream has a backlog),
     * it waits that while for a whole read instead: {@code batch} permits, or half the bound if that is less. Taking the
     * few permits each completion frees made a saturated drain's XREADGROUPs carry 38 entries on average, 71 with this
     * (docs/benchmarks.md). At least half the bound stays in flight meanwhile, so the route never runs dry, and a task
     * whose stream has gone quiet takes only what is free, leaving the rest to the endpoint's busy streams.
     */
    int acquire(int batch, boolean full) throws InterruptedException {
        if (full) {
            int want = Math.max(1, Math.min(batch, max / 2));
            return permits.tryAcquire(want, waitMillis, TimeUnit.MILLISECONDS) ? want : tryAcquire(want);
        }
        if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            return 0;
        }
        return 1 + tryAcquire(batch - 1);
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
