package io.crmsync.startup;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The servers crm-sync waits for, each tried on a thread of its own from the moment the app starts, so that a start
 * never waits for a server and the work that needs one begins as soon as it answers.
 */
public final class ServerGates implements AutoCloseable {

    private final List<ServerGate> gates;
    private final Duration retryMin;
    private final Duration retryMax;
    private final ExecutorService threads;
    private volatile boolean running = true;

    public ServerGates(List<ServerGate> gates, Duration retryMin, Duration retryMax) {
        this.gates = List.copyOf(gates);
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        CustomizableThreadFactory factory = new CustomizableThreadFactory("crm-sync-server-gate-");
        factory.setDaemon(true);
        this.threads = Executors.newFixedThreadPool(Math.max(1, this.gates.size()), factory);
    }

    /** Begins trying every server. */
    public void start() {
        for (ServerGate gate : gates) {
            threads.submit(() -> gate.openWhenAnswered(retryMin, retryMax,
                    () -> running && !Thread.currentThread().isInterrupted()));
        }
    }

    public List<ServerGate> all() {
        return gates;
    }

    /** The gate of that name, or null when that server is not configured. */
    public ServerGate gate(String name) {
        return gates.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    /** Whether the server of that name has answered since the start; true when it is not configured. */
    public boolean isOpen(String name) {
        ServerGate gate = gate(name);
        return gate == null || gate.isOpen();
    }

    /**
     * What of {@code names} is still closed, as {@code mongodb at host:port}, after waiting at most {@code firstAttempt}
     * for each one's first answer (a server that is up answers at once, so a normal start never sees a closed gate);
     * empty when all are open.
     */
    public List<String> waitingFor(Collection<String> names, Duration firstAttempt) {
        long deadline = System.nanoTime() + firstAttempt.toNanos();
        return gates.stream().filter(g -> names.contains(g.name()))
                .filter(g -> !g.awaitFirstAttempt(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
                .map(ServerGate::description).toList();
    }

    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
    }
}
