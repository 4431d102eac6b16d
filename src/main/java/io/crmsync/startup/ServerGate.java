package io.crmsync.startup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server crm-sync needs, such as MongoDB at host:port: closed until its probe has answered once, which also runs
 * the set-up the server needs first (indexes, table checks), so that set-up never runs in a bean factory and never
 * stops a start. Tried on its own thread with a bounded back-off; the log gets one line when it starts waiting and one
 * when the server answers, not one per attempt.
 */
public final class ServerGate {

    private static final Logger LOG = LoggerFactory.getLogger(ServerGate.class);

    /** Reaches the server and runs its set-up; throws while the server does not answer. */
    @FunctionalInterface
    public interface Probe {
        void answer() throws Exception;
    }

    private final String name;
    private final String address;
    private final Probe probe;
    private final List<Runnable> whenOpen = new CopyOnWriteArrayList<>();
    // counted down after the first attempt, whatever its result: a start waits for that much, never for the server
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    // read by probes, health checks and consumer starts on other threads
    private volatile boolean open;
    private volatile String lastFailure;

    /**
     * @param name    what readiness calls it (mongodb, redis, postgresql)
     * @param address where it is, without credentials
     */
    public ServerGate(String name, String address, Probe probe) {
        this.name = name;
        this.address = address;
        this.probe = probe;
    }

    public String name() {
        return name;
    }

    public boolean isOpen() {
        return open;
    }

    /** {@code mongodb at 127.0.0.1:27017}. */
    public String description() {
        return name + " at " + address;
    }

    /** Why the last attempt failed; null once open. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Runs {@code action} once the gate is open: now if it is, else on the gate's thread when it opens. */
    public void whenOpen(Runnable action) {
        synchronized (whenOpen) {
            if (!open) {
                whenOpen.add(action);
                return;
            }
        }
        action.run();
    }

    /** Waits for the first attempt's result, at most {@code timeout}; true when the gate is open. */
    public boolean awaitFirstAttempt(Duration timeout) {
        try {
            firstAttempt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return open;
    }

    /**
     * Tries until the server answers or {@code running} turns false, waiting {@code min} after the first failure,
     * doubled after each further one up to {@code max}.
     */
    void openWhenAnswered(Duration min, Duration max, java.util.function.BooleanSupplier running) {
        long delay = min.toMillis();
        long since = System.nanoTime();
        boolean waitingLogged = false;
        while (running.getAsBoolean() && !open) {
            try {
                probe.answer();
                open();
                if (waitingLogged) {
                    LOG.info("{} answers after {} s: its set-up has run and the work that needs it begins", description(),
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since));
                }
            } catch (Exception | LinkageError e) {
                String failure = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                if (!waitingLogged || lastFailure == null || !lastFailure.startsWith(e.getClass().getSimpleName() + ":")) {
                    // one line per state change: the first failure, then only another kind of failure (messages vary
                    // with timings and counters from one attempt to the next)
                    LOG.warn("Waiting for {}: {}; readiness stays DOWN and its work waits, retrying every {} s at most",
                            description(), failure, max.toSeconds());
                    waitingLogged = true;
                }
                lastFailure = failure;
                firstAttempt.countDown();
                sleep(delay);
                delay = Math.min(max.toMillis(), delay * 2);
            }
        }
    }

    private void open() {
        List<Runnable> actions;
        synchronized (whenOpen) {
            open = true;
            lastFailure = null;
            actions = List.copyOf(whenOpen);
            whenOpen.clear();
        }
        firstAttempt.countDown();
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("After {} answered, a start-up step failed: {}", description(), e.toString());
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
