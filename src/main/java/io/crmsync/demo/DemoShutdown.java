package io.crmsync.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Ctrl-C (and SIGTERM) stops the demo in order, and with exit status 0: the app first, so Camel drains its
 * exchanges while Redis, MongoDB and PostgreSQL still answer, then the embedded servers, then the demo's temporary
 * files. The JVM's own handling would run every shutdown hook at once (the servers would die under Camel, with a
 * storm of reconnect warnings) and exit with 130. {@code sun.misc.Signal} is the JDK's supported way for an
 * application to take a signal over.
 * <p>
 * Installed before anything is started, so that a start-up that fails, or is interrupted, removes what it had made.
 */
final class DemoShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(DemoShutdown.class);

    private final AtomicBoolean stopping = new AtomicBoolean();
    // closed in reverse order, after the app: what was made first (the temporary directory) goes last
    private final List<AutoCloseable> resources = new ArrayList<>();
    // set by the main thread once Spring has started, read by the signal's thread
    private volatile ConfigurableApplicationContext app;

    private DemoShutdown() {
    }

    static DemoShutdown install() {
        DemoShutdown shutdown = new DemoShutdown();
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> new Thread(() -> {
                shutdown.stop(true);
                System.exit(0);
            }, "demo-shutdown").start());
        }
        // any other way out (System.exit elsewhere, a failed start) still stops in order
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.stop(true), "demo-shutdown-hook"));
        return shutdown;
    }

    /** Closed when the demo stops, after the app; at once if it is stopping already. */
    void add(AutoCloseable resource) {
        synchronized (resources) {
            if (!stopping.get()) {
                resources.add(resource);
                return;
            }
        }
        close(resource);
    }

    void app(ConfigurableApplicationContext started) {
        app = started;
        if (stopping.get()) {
            started.close();
        }
    }

    /** Stops the app (if it started), then the servers, then removes the files; {@code say}: log that it does. */
    void stop(boolean say) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        if (say) {
            LOG.info("Stopping the demo: crm-sync first, then its embedded servers");
        }
        ConfigurableApplicationContext started = app;
        if (started != null) {
            started.close();
        }
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            close(toClose.get(i));
        }
        if (say) {
            LOG.info("Demo stopped");
        }
    }

    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.info("{} did not stop cleanly: {}", resource, e.toString());
        }
    }
}
