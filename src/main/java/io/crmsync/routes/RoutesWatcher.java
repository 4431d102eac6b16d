package io.crmsync.routes;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Triggers {@link DirectoryReload#scan()} when the routes directory changes. Any event on the directory means
 * "something changed, look": a ConfigMap update swaps the {@code ..data} symlink and never touches the visible
 * {@code *.camel.yaml} links, so per-file events cannot be trusted. Events are debounced, as an editor or kubelet
 * writes in bursts. A periodic re-scan covers volumes that deliver no inotify events at all (NFS, some CSI drivers).
 * All scans run on one thread, so two reloads never overlap.
 */
public final class RoutesWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesWatcher.class);

    private final Path dir;
    private final RoutesProperties.Watch settings;
    private final DirectoryReload reload;
    private final ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "crm-routes-reload"));
    private WatchService watchService;
    private ScheduledFuture<?> pending;

    RoutesWatcher(Path dir, RoutesProperties.Watch settings, DirectoryReload reload) {
        this.dir = dir;
        this.settings = settings;
        this.reload = reload;
    }

    // after start-up, so the routes Camel loaded are running and are the baseline
    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        reload.init();
        scans.scheduleWithFixedDelay(this::scan, settings.rescanInterval().toMillis(), settings.rescanInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            watchService = FileSystems.getDefault().newWatchService();
            dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            daemon(this::watch, "crm-routes-watch").start();
        } catch (IOException e) {
            LOG.warn("Cannot watch {} ({}); changes are picked up by the re-scan every {}", dir, e, settings.rescanInterval());
        }
    }

    // first of all closing listeners, so no reload races Camel's shutdown
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stop() throws IOException, InterruptedException {
        scans.shutdown();
        if (watchService != null) {
            watchService.close();
        }
        if (!scans.awaitTermination(10, TimeUnit.SECONDS)) {
            scans.shutdownNow();
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                key.pollEvents();
                key.reset();
                debounce();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            LOG.debug("Stopped watching {}", dir);
        }
    }

    private synchronized void debounce() {
        if (pending != null) {
            pending.cancel(false);
        }
        if (!scans.isShutdown()) {
            pending = scans.schedule(this::scan, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void scan() {
        try {
            reload.scan();
        } catch (RuntimeException e) {
            // never let one bad scan end the periodic task
            LOG.error("Scanning routes directory {} failed", dir, e);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
