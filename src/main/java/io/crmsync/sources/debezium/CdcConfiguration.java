package io.crmsync.sources.debezium;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The CDC sources' shared pieces: the change-event step the routes call ({@code changeEvents}), the cluster service
 * that lets one instance at a time read the slot (the {@code master:} endpoint of routes/cdc.camel.yaml), the watch on
 * the slot, and the {@code cdc} health check, which the other feeds of change events (Kafka) report into.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CdcProperties.class)
class CdcConfiguration {

    static final String ROUTE = "cdc-postgres";
    static final String NAMESPACE = "crm-cdc";

    @Bean
    ChangeEvents changeEvents(ObjectMapper json, CdcProperties properties) {
        return new ChangeEvents(json, properties.tenantColumn(), properties.slot());
    }

    /**
     * One reader of the slot across replicas. On Kubernetes, a Lease ({@code crm.cdc.cluster=kubernetes}); else a
     * lock file, which serves instances on one machine (the tests, a VM). Made even while CDC is off: the master
     * endpoint of the (stopped) route needs one to be created.
     */
    @Bean(destroyMethod = "stop")
    CamelClusterService cdcClusterService(CdcProperties properties, CamelContext camel) throws Exception {
        CamelClusterService service;
        if ("kubernetes".equals(properties.cluster())) {
            KubernetesClusterService kubernetes = new KubernetesClusterService();
            kubernetes.setLeaseResourceType(LeaseResourceType.Lease);
            // the member's name is the pod's (HOSTNAME), the namespace the pod's own
            service = kubernetes;
        } else if ("file".equals(properties.cluster())) {
            FileLockClusterService file = new FileLockClusterService();
            file.setRoot(properties.clusterRoot() == null || properties.clusterRoot().isBlank()
                    ? Path.of(System.getProperty("java.io.tmpdir"), "crm-sync-cluster").toString() : properties.clusterRoot());
            // a dead leader's lock is taken over after heartbeatTimeoutMultiplier (5) intervals: 10 s
            file.setAcquireLockDelay(1, TimeUnit.SECONDS);
            file.setAcquireLockInterval(2, TimeUnit.SECONDS);
            service = file;
        } else {
            throw new IllegalArgumentException("crm.cdc.cluster is file or kubernetes, not '" + properties.cluster() + "'");
        }
        service.setId("crm-cdc-cluster");
        camel.addService(service);
        return service;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "crm.cdc.enabled", havingValue = "true")
    SlotMonitor slotMonitor(CdcProperties properties, MeterRegistry meters, CamelContext camel,
            CamelClusterService cdcClusterService) throws Exception {
        SlotMonitor monitor = new SlotMonitor(properties, meters,
                // not before Camel has started: a readiness probe would otherwise make and start the cluster view on
                // its own thread while Camel's start makes it for the master route, and the second instance of
                // CdcFailoverIT once stopped there, never finishing its start
                () -> camel.getStatus().isStarted() && leading(cdcClusterService),
                () -> {
                    try {
                        camel.getRouteController().stopRoute(ROUTE);
                        camel.getRouteController().startRoute(ROUTE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, Clock.systemUTC());
        // checks begin once the routes run: a start-up slower than the grace (two JVMs starting on a small node) would
        // otherwise count as a dead connector, and its route be restarted while the context was still starting it
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                if (alreadyStarted) {
                    monitor.start(); // Camel calls only this one for a listener added after its start
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                monitor.start();
            }
        });
        return monitor;
    }

    private static boolean leading(CamelClusterService cluster) {
        try {
            return cluster.getView(NAMESPACE).getLocalMember().isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    /** The {@code cdc} health check, in the readiness group. */
    @Bean
    HealthIndicator cdcHealthIndicator(CdcProperties cdc, ObjectProvider<SlotMonitor> monitor,
            ObjectProvider<ChangeFeed> feeds) {
        return new CdcHealth(cdc, monitor::getIfAvailable, () -> feeds.orderedStream().toList());
    }
}
