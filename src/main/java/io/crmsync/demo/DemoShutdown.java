package io.crmsync.demo;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Ctrl-C (and SIGTERM) stops the demo in order, and with exit status 0: the app first, so Camel drains its
 * exchanges while Redis, MongoDB and PostgreSQL still answer, then the embedded servers. The JVM's own handling would
 * run every shutdown hook at once (the servers would die under Camel, with a storm of reconnect warnings) and exit
 * with 130. {@code sun.misc.Signal} is the JDK's supported way for an application to take a signal over.
 */
final class DemoShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(DemoShutdown.class);

    private DemoShutdown() {
    }

    static void install(ConfigurableApplicationContext app, List<AutoCloseable> servers) {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            LOG.info("Stopping the demo: crm-sync first, then its embedded servers");
            app.close();
            for (AutoCloseable server : servers) {
                try {
                    server.close();
                } catch (Exception e) {
                    LOG.info("Embedded server {} did not stop cleanly: {}", server, e.toString());
                }
            }
            LOG.info("Demo stopped");
        };
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> new Thread(() -> {
                stop.run();
                System.exit(0);
            }, "demo-shutdown").start());
        }
        // any other way out (System.exit elsewhere) still stops in order
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "demo-shutdown-hook"));
    }
}
