package io.crmsync.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedPostgres;
import io.crmsync.embedded.EmbeddedRedis;
import io.crmsync.startup.ServerGate;
import io.crmsync.startup.ServerGates;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * Runs the app exactly as in production, but against a redis-server and a MongoDB wire-protocol server it starts
 * itself, publishes the sample events, and says what happened and where to look.
 */
public final class Demo {

    private Demo() {
    }

    public static void run(Class<?> application, String[] args) throws Exception {
        quietUntilSpringLogs();
        DemoShutdown shutdown = DemoShutdown.install();
        try {
            run(application, args, shutdown);
        } catch (Exception | Error e) {
            // a failed start leaves nothing behind: no server, no lock directory, no Tomcat directory
            shutdown.stop(false);
            throw e;
        }
    }

    private static void run(Class<?> application, String[] args, DemoShutdown shutdown) throws Exception {
        // everything of the demo's own on disk (the CDC lock directory, Tomcat's base directory) is under this one
        // directory, removed when the demo stops; the servers remove their data directories themselves
        Path files = Files.createTempDirectory("crm-sync-demo-");
        shutdown.add(() -> FileSystemUtils.deleteRecursively(files));
        DemoServers servers = DemoServers.start();
        shutdown.add(servers);
        System.setProperty("crm.redis-url", servers.redisUrl());
        System.setProperty("crm.mongodb-uri", servers.mongoUri());
        System.setProperty("crm.postgres.url", servers.postgresUrl(DemoDatabases.LEADS));
        System.setProperty("crm.cdc.database-url", servers.postgresUrl(DemoDatabases.LOYALTY));
        // its own lock directory: another demo on the machine holds the default one, and its slot is another database's
        System.setProperty("crm.cdc.cluster-root", files.resolve("cluster").toString());
        System.setProperty("crm.consumer-name", "demo");
        String token = System.getProperty("crm.ops.admin-token", System.getenv().getOrDefault("CRM_SYNC_ADMIN_TOKEN", ""));
        if (token.isBlank()) {
            token = java.util.UUID.randomUUID().toString();
            System.setProperty("crm.ops.admin-token", token);
        } else {
            // the user's own: never echoed to the terminal or a captured log
            token = "(yours, from CRM_SYNC_ADMIN_TOKEN)";
        }

        SpringApplication spring = new SpringApplication(application);
        Map<String, Object> defaults = new HashMap<>(QUIET);
        // Tomcat's work directory, which it would otherwise leave behind in /tmp as tomcat.<port>.<n>
        defaults.put("server.tomcat.basedir", files.resolve("tomcat").toString());
        // Spring MVC set up with the web server, not by the first request: the address printed answers at once
        defaults.put("spring.mvc.servlet.load-on-startup", "1");
        spring.setDefaultProperties(defaults);
        spring.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        // Spring builds its beans while the servers start; the app reaches its servers only once they are whole
        spring.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new ServersFirst(servers)));
        // the web server starts before Camel and its sources do: the console answers from then on
        spring.addListeners((ApplicationListener<WebServerInitializedEvent>) started -> System.out.println(
                "crm-sync demo: console at " + console(started.getWebServer().getPort()) + " "
                        + "(starting; the summary follows once the sample events are synced)"));
        // the demo stops in order itself: Camel first, while its servers still answer, then the servers
        spring.setRegisterShutdownHook(false);
        ConfigurableApplicationContext app = spring.run(args);
        shutdown.app(app);
        awaitServersAnswered(app.getBean(ServerGates.class), Duration.ofSeconds(30));
        EmbeddedRedis redis = servers.redis();
        EmbeddedMongo mongo = servers.mongo();
        EmbeddedPostgres postgres = servers.postgres();
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            List<SampleEvents.Published> published = SampleEvents.publish(commands);
            changeLoyaltyRows(postgres);
            MongoDatabase database = app.getBean(MongoClient.class).getDatabase("crm");
            awaitRecords(database, published, Duration.ofSeconds(30));
            StringBuilder out = new StringBuilder();
            report(database, commands, out);
            reportLeads(postgres, out);
            reportCdc(database, postgres, Duration.ofSeconds(30), out);
            whereToLook(redis, mongo, postgres, app.getEnvironment().getProperty("local.server.port", "8080"), token, out);
            System.out.println(out);
        } finally {
            client.shutdown();
        }
    }

    /** The page itself: {@code /console} answers with a redirect to it. */
    private static String console(Object port) {
        return "http://localhost:" + port + "/console/index.html";
    }

    /**
     * Holds the app where it begins reaching its servers ({@link ServerGates}' first attempts) until they have
     * started: up to there, Spring's start and the servers' overlap. Reached sooner, the gates would log waiting and
     * retry with a back-off, and a route's table check would find no table.
     */
    private record ServersFirst(DemoServers servers) implements BeanPostProcessor {
        @Override
        public Object postProcessBeforeInitialization(Object bean, String name) {
            if (bean instanceof ServerGates) {
                servers.awaitReady();
            }
            return bean;
        }
    }

    /** The samples are published once crm-sync has reached every server (indexes made, tables checked). */
    private static void awaitServersAnswered(ServerGates gates, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServerGate gate : gates.all()) {
            while (!gate.isOpen() && System.nanoTime() < deadline) {
                gate.awaitFirstAttempt(Duration.ofMillis(100));
                sleep(50);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The demo's log: warnings, and crm-sync's own lines, so its summary is not lost in hundreds of start-up lines
     * (Debezium's and Kafka's configuration dumps, Camel's route listing). {@code --logging.level.root=INFO} shows them.
     */
    private static final Map<String, Object> QUIET = Map.of(
            "logging.level.root", "WARN",
            "logging.level.io.crmsync", "INFO",
            // one line per started route and dead letter is what a reader of the demo wants from crm-sync, not its index
            // and reload bookkeeping
            "logging.level.io.crmsync.routes", "WARN",
            "logging.level.io.crmsync.stores.mongodb", "WARN",
            // two lines per stream and group (created, consuming): the console's Streams shows them all at once
            "logging.level.io.crmsync.camel.redisstreams", "WARN");

    /**
     * The servers start before Spring configures logging ({@link #QUIET}), and logback's own default would print the
     * MongoDB driver's and server's start-up at INFO: the same levels hold from the first line.
     */
    private static void quietUntilSpringLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
            logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            logs.getLogger("io.crmsync").setLevel(Level.INFO);
        }
    }

    /** Rows of the loyalty team's tables, changed as their app would: captured by the embedded Debezium source. */
    private static void changeLoyaltyRows(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LOYALTY))) {
            connection.createStatement().execute("insert into purchase_ledger values ('" + PURCHASE + "', '"
                    + SampleEvents.TENANT + "', 'u-100', 'm-7', 49.90, 'pending', true, now())");
            connection.createStatement().execute("update purchase_ledger set status = 'paid' where id = '" + PURCHASE + "'");
            connection.createStatement().execute("insert into wallet_ledger values (gen_random_uuid(), '"
                    + SampleEvents.TENANT + "', 'wallet-100', 'u-100', 100.00, 'earn', now()), (gen_random_uuid(), '"
                    + SampleEvents.TENANT + "', 'wallet-100', 'u-100', 12.25, 'burn', now())");
        }
    }

    private static final String PURCHASE = "5b0c6f4e-8d7a-4e2b-9a51-3f1d2c7e9a10";

    private static void reportCdc(MongoDatabase database, EmbeddedPostgres postgres, Duration timeout, StringBuilder out)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        org.bson.Document purchase = null;
        while (Instant.now().isBefore(deadline) && (purchase == null || !"paid".equals(purchase.getString("status")))) {
            Thread.sleep(200);
            purchase = database.getCollection("purchases").find(Filters.eq("_id", PURCHASE)).first();
        }
        out.append("PostgreSQL (database loyalty), captured by Debezium into MongoDB:\n");
        if (purchase != null) {
            purchase.remove("_sync");
            out.append("  purchases/").append(PURCHASE).append(" (inserted, then paid):\n    ").append(purchase.toJson()).append('\n');
        }
        var wallet = database.getCollection("creditBalances").find(Filters.eq("entityId", "wallet-100")).first();
        if (wallet != null) {
            out.append("  creditBalances of wallet-100 (100.00 earned, 12.25 burnt): balance ").append(wallet.get("balance")).append('\n');
        }
        out.append("  change a row: psql ").append(postgres.jdbcUrl(DemoDatabases.LOYALTY).replace("jdbc:", ""))
                .append(" -c \"update purchase_ledger set status = 'refunded'\"\n\n");
    }

    private static void reportLeads(EmbeddedPostgres postgres, StringBuilder out) throws SQLException {
        out.append("PostgreSQL (database leads), agent_lead_sources of agent agent-uid-1:\n");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DemoDatabases.LEADS));
                ResultSet rows = connection.createStatement().executeQuery("select s.lead_source, s.assigned_at from "
                        + "agent_lead_sources s join agents a on a.id = s.agent_id where a.firebase_uid = 'agent-uid-1' "
                        + "order by 1")) {
            while (rows.next()) {
                out.append("  ").append(rows.getString(1)).append("  assigned ").append(rows.getString(2)).append('\n');
            }
        }
        out.append("  query them: psql ").append(postgres.jdbcUrl(DemoDatabases.LEADS).replace("jdbc:", ""))
                .append(" -c \"select * from agent_lead_sources\"\n\n");
    }

    private static void awaitRecords(MongoDatabase database, List<SampleEvents.Published> published, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<String> origins = published.stream().map(p -> p.stream() + "/" + p.entryId()).toList();
        while (Instant.now().isBefore(deadline)
                && database.getCollection("eventProcessingRecords").countDocuments(Filters.in("_id", origins)) < origins.size()) {
            Thread.sleep(200);
        }
    }

    private static void report(MongoDatabase database, RedisCommands<String, String> redis, StringBuilder out) {
        out.append("\n=== crm-sync demo ===\n\nDocuments in MongoDB (database crm):\n");
        for (String name : List.of("users", "roles", "userRoles", "organizations", "organizationAssignments",
                "creditLedger", "creditBalances", "creditConfigs", "interAppEvents", "eventProcessingRecords")) {
            out.append(String.format("  %-26s %d%n", name, database.getCollection(name).countDocuments()));
        }
        var user = database.getCollection("users").find(Filters.eq("_id", "u-100")).first();
        if (user != null) {
            user.remove("_sync");
            out.append("\nusers/u-100 (created, then deactivated):\n  ").append(user.toJson()).append('\n');
        }
        var balance = database.getCollection("creditBalances").find(Filters.eq("_id", "acme:u-100")).first();
        if (balance != null) {
            out.append("creditBalances/acme:u-100 (500 + 25 allocated, 120.50 consumed): balance ")
                    .append(balance.get("balance")).append('\n');
        }
        out.append("\nDead-letter stream crm:dlq:\n");
        for (StreamMessage<String, String> entry : redis.xrange("crm:dlq", Range.create("-", "+"))) {
            out.append("  ").append(entry.getId()).append("  reason=").append(entry.getBody().get("dlq.reason"))
                    .append("  from ").append(entry.getBody().get("dlq.sourceStream")).append('/')
                    .append(entry.getBody().get("dlq.sourceId")).append("\n    ").append(entry.getBody().get("dlq.error")).append('\n');
        }
        out.append('\n');
    }

    /** Last, so it stays on screen: the addresses, and the servers' variables for the ops commands in another terminal. */
    private static void whereToLook(EmbeddedRedis redis, EmbeddedMongo mongo, EmbeddedPostgres postgres, String port,
            String token, StringBuilder out) {
        out.append("Where to look (the app keeps running; Ctrl-C stops it and its servers):\n")
                .append("  console     ").append(console(port)).append("  (streams, records, dead letters, routes)\n")
                .append("  health      http://localhost:").append(port).append("/actuator/health\n")
                .append("  admin token ").append(token).append("   e.g. curl -H 'Authorization: Bearer ").append(token)
                .append("' http://localhost:").append(port).append("/actuator/deadletters\n")
                .append("  metrics     http://localhost:").append(port).append("/actuator/prometheus\n")
                .append("  Redis       ").append(redis.url()).append("   e.g. redis-cli -p ").append(redis.port())
                .append(" XRANGE crm:dlq - +\n")
                .append("  MongoDB     ").append(mongo.uri("crm")).append("   e.g. mongosh ").append(mongo.uri("crm")).append("\n\n")
                .append("The ops commands (README, \"Operate it\") reach these servers once you paste, in another terminal:\n")
                .append("  export REDIS_URL=").append(redis.url()).append(" MONGODB_URI=").append(mongo.uri("crm"))
                .append(" LEADS_DATABASE_URL=").append(postgres.url(DemoDatabases.LEADS))
                .append(" CDC_DATABASE_URL=").append(postgres.url(DemoDatabases.LOYALTY)).append('\n')
                .append("  java -jar target/crm-sync.jar status\n")
                .append("  java -jar target/crm-sync.jar publish crm:sync:user:user_updated eventType=user.updated tenantId=acme "
                        + "entityId=u-100 'data={\"name\": \"Ada King\"}'   (the README's \"Add an event type\")\n");
    }
}
