package io.crmsync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.crmsync.embedded.EmbeddedMongo;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

/**
 * One redis-server (EmbeddedRedis: a free port, never the system's 6379) and one MongoDB wire-protocol server
 * (mongo-java-server), shared by every phase and reset between them.
 * <p>
 * The MongoDB server runs in a JVM of its own by default (the app jar's classes plus target/test-classes, through
 * Spring Boot's PropertiesLauncher), so its CPU is measured apart from the driver's; {@code inProcess} keeps it in
 * this JVM, which the smoke test uses.
 */
final class BenchServers implements AutoCloseable {

    static final String DATABASE = "crm";

    final EmbeddedRedis redis;
    private final EmbeddedMongo inProcessMongo;
    private final Process mongoProcess;
    private final int mongoPort;
    final RedisClient redisClient;
    final StatefulRedisConnection<String, String> redisConnection;
    final MongoClient mongo;
    /** Between the consumers (the app, the baselines) and the servers, when a network delay is simulated. */
    private final LatencyProxy redisProxy;
    private final LatencyProxy mongoProxy;
    private final RedisClient consumerRedisClient;
    private final StatefulRedisConnection<String, String> consumerRedis;
    private final MongoClient consumerMongo;

    BenchServers(boolean inProcess, Path repo, String mongoXmx) {
        this(inProcess, repo, mongoXmx, List.of(), Duration.ZERO);
    }

    /**
     * @param delay added in each direction between the consumers and both servers (0: none). Publishing, seeding and
     *              the benchmark's own counting go direct, so only what is measured pays it.
     */
    BenchServers(boolean inProcess, Path repo, String mongoXmx, List<String> mongoJvmArgs, Duration delay) {
        this(inProcess, repo, mongoXmx, mongoJvmArgs, delay, List.of());
    }

    /** @param redisArgs further redis-server arguments: the soak's AOF settings */
    BenchServers(boolean inProcess, Path repo, String mongoXmx, List<String> mongoJvmArgs, Duration delay,
                 List<String> redisArgs) {
        this.redis = EmbeddedRedis.start(redisArgs.toArray(String[]::new));
        if (inProcess) {
            inProcessMongo = EmbeddedMongo.start();
            mongoProcess = null;
            mongoPort = inProcessMongo.port();
        } else {
            inProcessMongo = null;
            mongoProcess = startMongoJvm(repo, mongoXmx, mongoJvmArgs);
            mongoPort = awaitReady(mongoProcess);
        }
        redisClient = RedisClient.create(redis.url());
        redisConnection = redisClient.connect();
        mongo = MongoClients.create("mongodb://127.0.0.1:" + mongoPort);
        if (delay.isZero()) {
            redisProxy = null;
            mongoProxy = null;
            consumerRedisClient = redisClient;
            consumerRedis = redisConnection;
            consumerMongo = mongo;
        } else {
            redisProxy = new LatencyProxy("127.0.0.1", redis.port(), delay);
            mongoProxy = new LatencyProxy("127.0.0.1", mongoPort, delay);
            consumerRedisClient = RedisClient.create(consumerRedisUrl());
            consumerRedis = consumerRedisClient.connect();
            consumerMongo = MongoClients.create(consumerMongoUri());
        }
    }

    /** Redis as the consumers reach it: through the delaying proxy when there is one. */
    String consumerRedisUrl() {
        return redisProxy == null ? redis.url() : redis.url().replace(":" + redis.port(), ":" + redisProxy.port());
    }

    /** MongoDB as the consumers reach it. */
    String consumerMongoUri() {
        return "mongodb://127.0.0.1:" + (mongoProxy == null ? mongoPort : mongoProxy.port()) + "/" + DATABASE;
    }

    /**
     * The round trips the consumers see, measured: a Redis PING and a MongoDB ping command, median of the last 100 of
     * 400 each. The first 300 warm the proxy, the clients and the MongoDB stand-in up, which are interpreted code at
     * first. The proxy's own thread hops add to the delay it is given, so this is what the results were measured behind.
     */
    String measuredRoundTrips() {
        int warmUp = 300;
        long[] redisNanos = new long[100];
        long[] mongoNanos = new long[100];
        Document ping = new Document("ping", 1);
        for (int i = -warmUp; i < redisNanos.length; i++) {
            long start = System.nanoTime();
            consumerRedis.sync().ping();
            long redis = System.nanoTime() - start;
            start = System.nanoTime();
            consumerMongo.getDatabase(DATABASE).runCommand(ping);
            long mongo = System.nanoTime() - start;
            if (i >= 0) {
                redisNanos[i] = redis;
                mongoNanos[i] = mongo;
            }
        }
        java.util.Arrays.sort(redisNanos);
        java.util.Arrays.sort(mongoNanos);
        return String.format("Redis PING %.2f ms, MongoDB ping %.2f ms (medians, warm)", redisNanos[50] / 1e6, mongoNanos[50] / 1e6);
    }

    /** A baseline's Redis connection, through the proxy when there is one. */
    StatefulRedisConnection<String, String> consumerRedis() {
        return consumerRedis;
    }

    /** A baseline's database, through the proxy when there is one. */
    MongoDatabase consumerDatabase() {
        return consumerMongo.getDatabase(DATABASE);
    }

    private static Process startMongoJvm(Path repo, String xmx, List<String> jvmArgs) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + xmx));
        command.addAll(jvmArgs);
        command.addAll(List.of("-Xlog:gc:file=" + repo.resolve("target/bench-mongo-gc.log"),
                "-cp", repo.resolve("target/crm-sync.jar").toString(),
                "-Dloader.path=" + repo.resolve("target/test-classes"),
                "-Dloader.main=" + MongoServerMain.class.getName(),
                "org.springframework.boot.loader.launch.PropertiesLauncher", "0"));
        try {
            return new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the process's output until its {@code READY <port>} line; returns the port. */
    static int awaitReady(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    int port = Integer.parseInt(line.substring(6).trim());
                    // keep draining its output so the server never blocks on a full pipe
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // discard
                            }
                        } catch (IOException ignored) {
                            // process gone
                        }
                    }, "mongo-server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return port;
                }
                seen.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("server JVM exited before it was ready:\n" + seen);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + mongoPort + "/" + DATABASE;
    }

    /** The MongoDB server's process: its own JVM, or this one when it runs in-process. */
    long mongoPid() {
        return mongoProcess != null ? mongoProcess.pid() : ProcessHandle.current().pid();
    }

    long redisPid() {
        return CpuSampler.redisPid(redis.port());
    }

    RedisCommands<String, String> redisSync() {
        return redisConnection.sync();
    }

    MongoDatabase database() {
        return mongo.getDatabase(DATABASE);
    }

    /** Every phase starts from empty servers. */
    void reset() {
        redisSync().flushall();
        database().drop();
    }

    /**
     * Active tenants (so their credit-events:{tenantId} streams are consumed) and the organizations the assignments
     * name, with stamps older than any event, so enrichment always finds them and org_created events still update.
     */
    void seed(int orgs) {
        MongoDatabase db = database();
        List<Document> tenants = new ArrayList<>();
        EventGenerator.TENANTS.forEach(t -> tenants.add(new Document("_id", t).append("tenantId", t).append("status", "active")));
        db.getCollection("tenants").insertMany(tenants);
        String old = String.format("%019d|%s", 0L, "seed");
        List<Document> organizations = new ArrayList<>();
        for (int o = 0; o < orgs; o++) {
            organizations.add(new Document("_id", EventGenerator.orgId(o)).append("tenantId", EventGenerator.tenantOf(o))
                    .append("orgCode", EventGenerator.orgCode(o)).append("name", "Org " + o)
                    .append("_sync", new Document("rev", 1L).append("stamps", new Document("orgCode", old).append("name", old))));
        }
        db.getCollection("organizations").insertMany(organizations);
    }

    @Override
    public void close() {
        try {
            if (redisProxy != null) {
                consumerMongo.close();
                consumerRedis.close();
                consumerRedisClient.shutdown();
                redisProxy.close();
                mongoProxy.close();
            }
            mongo.close();
            redisConnection.close();
            redisClient.shutdown();
        } finally {
            if (mongoProcess != null) {
                mongoProcess.destroy();
                try {
                    if (!mongoProcess.waitFor(10, TimeUnit.SECONDS)) {
                        mongoProcess.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (inProcessMongo != null) {
                inProcessMongo.close();
            }
            redis.close();
        }
    }
}
