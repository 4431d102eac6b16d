package io.crmsync.startup;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import io.crmsync.camel.redisstreams.StartCondition;
import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.RedisUrls;
import io.crmsync.camel.redisstreams.client.StreamConnection;
import io.crmsync.cdc.CdcProperties;
import io.crmsync.config.CrmSyncProperties;
import io.crmsync.persistence.Collections;
import io.crmsync.persistence.WriteStep;
import io.crmsync.postgres.PostgresProperties;
import io.crmsync.postgres.PostgresStore;
import io.crmsync.postgres.PostgresUrl;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventNotifierSupport;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The servers crm-sync waits for at start-up: MongoDB (then its indexes), Redis, and the PostgreSQL databases when
 * configured (then the tables put off meanwhile). None of it runs in a bean factory: each is tried on its own thread,
 * readiness names what is still awaited, and once a server answers, the routes that were waiting for it are started at
 * once instead of at their next back-off attempt.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StartupProperties.class)
class StartupConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StartupConfiguration.class);
    static final String MONGODB = "mongodb";
    static final String REDIS = "redis";
    static final String POSTGRESQL = "postgresql";
    static final String CDC = "postgresql-cdc";
    // a probe's own bound: an attempt never takes the driver's 30 s server selection
    private static final int PROBE_SECONDS = 2;

    @Bean(initMethod = "start", destroyMethod = "close")
    ServerGates serverGates(StartupProperties startup, CrmSyncProperties crm, Collections collections, WriteStep writes,
            PostgresProperties postgres, ObjectProvider<PostgresStore> store, CdcProperties cdc, CamelContext camel) {
        List<ServerGate> gates = new ArrayList<>();
        gates.add(new ServerGate(MONGODB, String.join(",", new ConnectionString(crm.mongodbUri()).getHosts()), () -> {
            collections.database().withTimeout(PROBE_SECONDS, TimeUnit.SECONDS).runCommand(new Document("ping", 1));
            writes.writer().ensureIndexes();
        }));
        gates.add(new ServerGate(REDIS, RedisUrls.masked(crm.redisUrl()), () -> pingRedis(crm.redisUrl())));
        PostgresStore postgresStore = store.getIfAvailable();
        if (postgres.enabled() && postgresStore != null) {
            gates.add(new ServerGate(POSTGRESQL, address(PostgresUrl.parse(postgres.url())), postgresStore::answer));
        }
        if (cdc.enabled()) {
            PostgresUrl database = PostgresUrl.parse(cdc.databaseUrl());
            gates.add(new ServerGate(CDC, address(database), () -> connect(database)));
        }
        for (ServerGate gate : gates) {
            gate.whenOpen(() -> startWaitingRoutes(camel, gate));
        }
        return new ServerGates(gates, startup.retryMin(), startup.retryMax());
    }

    /** The {@code servers} check of readiness. */
    @Bean
    HealthIndicator serversHealthIndicator(ServerGates gates) {
        return new ServersHealth(gates);
    }

    /**
     * The stream consumers read only once MongoDB (where every event is recorded) and Redis answer: an entry read
     * before could only fail, and count a delivery towards its dead-lettering.
     */
    @Bean
    StartCondition streamsStartCondition(ServerGates gates, StartupProperties startup) {
        List<String> needed = List.of(MONGODB, REDIS);
        return routeId -> {
            List<String> waiting = gates.waitingFor(needed, startup.firstAnswerWait());
            return waiting.isEmpty() ? null : String.join(", ", waiting);
        };
    }

    /**
     * A route the supervising route controller started counts as one that should run again: the controller clears
     * its auto-startup flag to start it itself, and Camel's route check then reports a route stopped later (by an
     * operator, or a reload that failed) as healthy. With the flag back, readiness goes DOWN for it as before.
     */
    @Bean
    CamelContextConfiguration supervisedRoutesStayChecked() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                EventNotifierSupport notifier = new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.RouteStartedEvent started
                                && Boolean.TRUE.equals(started.getRoute().getProperties().get(Route.SUPERVISED))) {
                            started.getRoute().setAutoStartup(true);
                        }
                    }
                };
                // route events only: nothing at each exchange
                notifier.setIgnoreExchangeEvents(true);
                notifier.setIgnoreCamelContextEvents(true);
                notifier.setIgnoreServiceEvents(true);
                notifier.setIgnoreStepEvents(true);
                camel.getManagementStrategy().addEventNotifier(notifier);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /** The routes the supervising route controller is trying again, started now rather than at their next attempt. */
    private static void startWaitingRoutes(CamelContext camel, ServerGate gate) {
        if (!(camel.getRouteController() instanceof SupervisingRouteController supervising) || !camel.isStarted()) {
            return;
        }
        for (Route route : supervising.getRestartingRoutes()) {
            try {
                supervising.startRoute(route.getRouteId());
            } catch (Exception e) {
                // still waiting for another server: the controller tries it again later
                LOG.debug("Route {} not started after {} answered: {}", route.getRouteId(), gate.description(), e.toString());
            }
        }
    }

    private static void pingRedis(String url) {
        try (RedisStreamsClient client = RedisStreamsClient.create(url, "auto", java.time.Duration.ofMillis(100),
                java.time.Duration.ofSeconds(1)); StreamConnection connection = client.connect()) {
            connection.setTimeout(java.time.Duration.ofSeconds(PROBE_SECONDS));
            connection.commands().xlen("crm-sync:startup-probe");
        } catch (io.lettuce.core.RedisCommandExecutionException refused) {
            // an error reply (an ACL without this key, say) is still an answer: the server is there
        }
    }

    private static void connect(PostgresUrl database) throws java.sql.SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.user());
        if (database.password() != null) {
            properties.setProperty("password", database.password());
        }
        properties.setProperty("connectTimeout", String.valueOf(PROBE_SECONDS));
        properties.setProperty("loginTimeout", String.valueOf(PROBE_SECONDS));
        DriverManager.getConnection(database.jdbcUrl(), properties).close();
    }

    /** host:port/database: never the user or password. */
    private static String address(PostgresUrl url) {
        return url.host() + ":" + url.port() + "/" + url.database();
    }
}
