package io.crmsync.startup;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoServerException;
import io.crmsync.camel.redisstreams.StartCondition;
import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.RedisUrls;
import io.crmsync.camel.redisstreams.client.StreamConnection;
import io.crmsync.config.CrmSyncProperties;
import io.crmsync.core.connect.PostgresUrl;
import io.crmsync.sources.debezium.CdcProperties;
import io.crmsync.sources.redis.TenantStreams;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.MappedIndexes;
import io.crmsync.stores.mongodb.WriteStep;
import io.crmsync.stores.postgres.PostgresProperties;
import io.crmsync.stores.postgres.PostgresStore;
import org.apache.camel.CamelContext;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The servers crm-sync waits for at start-up: MongoDB (then its indexes, and once the routes exist those of their
 * mappings), Redis, and the PostgreSQL databases when configured (then the tables put off meanwhile). None of it runs
 * in a bean factory: each is tried on its own thread, readiness names what is still awaited, and the stream consumers,
 * whose routes run meanwhile, begin reading within a second of MongoDB and Redis answering.
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
            PostgresProperties postgres, ObjectProvider<PostgresStore> store, CdcProperties cdc) {
        List<ServerGate> gates = new ArrayList<>();
        String mongoHosts = String.join(",", new ConnectionString(crm.mongodbUri()).getHosts());
        gates.add(new ServerGate(MONGODB, mongoHosts, () -> {
            collections.database().withTimeout(PROBE_SECONDS, TimeUnit.SECONDS).runCommand(new Document("ping", 1));
            try {
                writes.writer().ensureIndexes();
            } catch (MongoServerException refused) {
                // MongoDB answered, and refused: waiting would not change that, and the writes try again themselves
                LOG.error("MongoDB at {} refused the index set-up: {}", mongoHosts, refused.getMessage());
            }
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
        return new ServerGates(gates, startup.retryMin(), startup.retryMax());
    }

    /** The {@code servers} check of readiness. */
    @Bean
    HealthIndicator serversHealthIndicator(ServerGates gates) {
        return new ServersHealth(gates);
    }

    /**
     * The stream consumers read only once MongoDB (where every event is recorded) and Redis answer: an entry read
     * before could only fail, and count a delivery towards its dead-lettering. And only once the indexes of the routes'
     * mappings are made, so that every index MongoDB refuses is logged at start-up, before any event.
     */
    @Bean
    StartCondition streamsStartCondition(ServerGates gates, StartupProperties startup, CamelContext camel) {
        List<String> needed = List.of(MONGODB, REDIS);
        IndexesBeforeReading indexes = new IndexesBeforeReading(() -> MappedIndexes.ensure(camel.getEndpoints()));
        return routeId -> {
            List<String> waiting = gates.waitingFor(needed, startup.firstAnswerWait());
            return waiting.isEmpty() ? indexes.waitingFor(startup.firstAnswerWait()) : String.join(", ", waiting);
        };
    }

    /** The per-tenant credit streams are looked up in MongoDB's tenants collection once its gate is open. */
    @Bean
    TenantStreams tenantStreams(CamelContext camel, Collections collections, CrmSyncProperties properties,
            ObjectProvider<ServerGates> gates) {
        return new TenantStreams(camel, collections.get("tenants"), properties.tenants().group(),
                () -> gates.getObject().isOpen(MONGODB));
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
