package io.crmsync.ops.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import com.mongodb.ConnectionString;
import io.crmsync.camel.redisstreams.client.RedisUrls;
import io.crmsync.core.connect.PostgresUrl;
import io.lettuce.core.RedisURI;

/**
 * The servers an ops command talks to, as the service finds them ({@code REDIS_URL}, {@code MONGODB_URI}, and the
 * PostgreSQL ones when set: {@code LEADS_DATABASE_URL}, {@code CDC_DATABASE_URL}), checked before the command starts
 * anything: a server that does not answer fails the command within seconds with one line naming it and the variable
 * to set, where the drivers would wait out their own time-outs (30 s, PostgreSQL's 10 s per pool connection) and end
 * in a stack trace.
 */
final class Servers {

    /** Per server; below the 5 s within which a command that cannot reach one has said so. */
    static final int CONNECT_TIMEOUT_MS = 3_000;

    /** What is unreachable, and what to do about it. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    private Servers() {
    }

    static String redisUrl() {
        return setting("crm.redis-url", "REDIS_URL", null, "redis://localhost:6379");
    }

    static String mongodbUri() {
        return setting("crm.mongodb-uri", "MONGODB_URI", "MONGO_URI", "mongodb://localhost:27017/crm");
    }

    /** The leads team's PostgreSQL (crm-postgres: store endpoints), or null when none is configured. */
    static String leadsDatabaseUrl() {
        return optional(setting("crm.postgres.url", "LEADS_DATABASE_URL", null, ""));
    }

    /** The PostgreSQL whose tables are captured, or null when CDC is off. */
    static String cdcDatabaseUrl() {
        return optional(setting("crm.cdc.database-url", "CDC_DATABASE_URL", null, ""));
    }

    /** @throws Unreachable naming the first server whose port does not accept a connection */
    static void checkRedisAndMongo() {
        checkRedis();
        checkMongo();
    }

    static void checkRedis() {
        for (String url : RedisUrls.split(redisUrl())) {
            RedisURI uri = RedisURI.create(url);
            if (uri.getSentinels().isEmpty()) {
                check("Redis", uri.getHost(), uri.getPort(), "REDIS_URL");
            } else {
                check("Redis Sentinel", uri.getSentinels().get(0).getHost(), uri.getSentinels().get(0).getPort(), "REDIS_URL");
            }
        }
    }

    static void checkMongo() {
        List<String> hosts = new ConnectionString(mongodbUri()).getHosts();
        if (!mongodbUri().startsWith("mongodb+srv:")) {
            String first = hosts.get(0);
            int colon = first.lastIndexOf(':');
            check("MongoDB", colon < 0 ? first : first.substring(0, colon),
                    colon < 0 ? 27017 : Integer.parseInt(first.substring(colon + 1)), "MONGODB_URI");
        }
    }

    static void checkLeadsDatabase() {
        checkPostgres("PostgreSQL (leads)", leadsDatabaseUrl(), "LEADS_DATABASE_URL");
    }

    static void checkCdcDatabase() {
        checkPostgres("PostgreSQL (CDC)", cdcDatabaseUrl(), "CDC_DATABASE_URL");
    }

    private static void checkPostgres(String server, String url, String variable) {
        if (url != null) {
            PostgresUrl postgres = PostgresUrl.parse(url);
            check(server, postgres.host(), postgres.port(), variable);
        }
    }

    private static String optional(String url) {
        return url.isBlank() ? null : url;
    }

    private static void check(String server, String host, int port, String variable) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + server + " at " + host + ":" + port + " (" + e.getMessage() + "). Set "
                    + variable + " to its URL; the demo prints an export line to paste.");
        }
    }

    private static String setting(String property, String variable, String alias, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(variable);
        }
        if (value == null && alias != null) {
            value = System.getenv(alias);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
