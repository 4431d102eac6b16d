package io.crmsync.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import io.crmsync.CrmSyncApplication;
import io.crmsync.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A command whose server does not answer says which and what to set, in one line, instead of hanging. */
class UnreachableServersTest {

    private static final Logger LOG = LoggerFactory.getLogger(UnreachableServersTest.class);

    @AfterEach
    void clear() {
        System.clearProperty("crm.redis-url");
        System.clearProperty("crm.mongodb-uri");
        System.clearProperty("crm.postgres.url");
        System.clearProperty("crm.cdc.database-url");
    }

    private static String stderrOf(String... args) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            long started = System.nanoTime();
            assertThat(Commands.run(CrmSyncApplication.class, args[0], java.util.Arrays.copyOfRange(args, 1, args.length)))
                    .isEqualTo(1);
            LOG.info("{} failed after {} ms", args[0], (System.nanoTime() - started) / 1_000_000);
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCommandWhoseRedisDoesNotAnswerNamesItAndTheVariableInOneLine() throws Exception {
        int closed = EmbeddedRedis.freePort();
        System.setProperty("crm.redis-url", "redis://127.0.0.1:" + closed);

        String err = stderrOf("status");

        assertThat(err.lines()).hasSize(1).first().asString().startsWith("status: cannot reach Redis at 127.0.0.1:" + closed)
                .contains("Set REDIS_URL");
    }

    @Test
    void aCommandWhoseMongoDbDoesNotAnswerNamesItAndTheVariableInOneLine() throws Exception {
        int closed = EmbeddedRedis.freePort();
        // something listening is all the check asks of Redis: it fails on MongoDB before connecting to either
        try (ServerSocket redis = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("crm.redis-url", "redis://127.0.0.1:" + redis.getLocalPort());
            System.setProperty("crm.mongodb-uri", "mongodb://127.0.0.1:" + closed + "/crm");

            String err = stderrOf("records", "--key", "u-1");

            assertThat(err.lines()).hasSize(1).first().asString()
                    .startsWith("records: cannot reach MongoDB at 127.0.0.1:" + closed).contains("Set MONGODB_URI");
        }
    }

    @Test
    void aCommandWhoseCapturedPostgresqlDoesNotAnswerNamesItAndTheVariableInOneLine() throws Exception {
        int closed = EmbeddedRedis.freePort();
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("crm.redis-url", "redis://127.0.0.1:" + listening.getLocalPort());
            System.setProperty("crm.mongodb-uri", "mongodb://127.0.0.1:" + listening.getLocalPort() + "/crm");
            System.setProperty("crm.cdc.database-url", "postgresql://crm:secret@127.0.0.1:" + closed + "/loyalty");

            String err = stderrOf("status");

            assertThat(err.lines()).hasSize(1).first().asString()
                    .startsWith("status: cannot reach PostgreSQL (CDC) at 127.0.0.1:" + closed).contains("Set CDC_DATABASE_URL")
                    .doesNotContain("secret");
        }
    }

    @Test
    void aCommandWhoseLeadsPostgresqlDoesNotAnswerNamesItAndTheVariableInOneLine() throws Exception {
        int closed = EmbeddedRedis.freePort();
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("crm.redis-url", "redis://127.0.0.1:" + listening.getLocalPort());
            System.setProperty("crm.mongodb-uri", "mongodb://127.0.0.1:" + listening.getLocalPort() + "/crm");
            System.setProperty("crm.postgres.url", "postgresql://crm@127.0.0.1:" + closed + "/leads");

            String err = stderrOf("verify", "--stream", "crm:sync:agent:lead_sources_updated");

            assertThat(err.lines()).hasSize(1).first().asString()
                    .startsWith("verify: cannot reach PostgreSQL (leads) at 127.0.0.1:" + closed)
                    .contains("Set LEADS_DATABASE_URL");
        }
    }

    @Test
    void aServerIsGivenUpOnWellWithinFiveSeconds() {
        assertThat(Servers.CONNECT_TIMEOUT_MS).isLessThan(5_000);
    }

    @Test
    void publishNeedsOnlyRedis() throws Exception {
        int closed = EmbeddedRedis.freePort();
        System.setProperty("crm.redis-url", "redis://127.0.0.1:" + closed);

        String err = stderrOf("publish", "s", "eventType=x");

        assertThat(err).startsWith("publish: cannot reach Redis at 127.0.0.1:" + closed);
    }
}
