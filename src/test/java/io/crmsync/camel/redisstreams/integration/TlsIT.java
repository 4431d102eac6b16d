package io.crmsync.camel.redisstreams.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.crmsync.camel.redisstreams.RedisStreamsComponent;
import io.crmsync.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://}: a redis-server with a TLS port and a self-signed certificate, consumed and written through the
 * component. Needs openssl to make the certificate and a redis-server built with TLS (Debian's is).
 */
class TlsIT {

    private static Path certs;
    private static EmbeddedRedis redis;
    private static int tlsPort;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        certs = Files.createTempDirectory("redis-tls");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                    .directory(certs.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed, so no certificate can be made: " + e.getMessage());
            return;
        }
        assertThat(openssl.waitFor()).isZero();
        tlsPort = EmbeddedRedis.freePort();
        try {
            redis = EmbeddedRedis.start("--tls-port", String.valueOf(tlsPort),
                    "--tls-cert-file", certs.resolve("cert.pem").toString(), "--tls-key-file", certs.resolve("key.pem").toString(),
                    "--tls-ca-cert-file", certs.resolve("cert.pem").toString(), "--tls-auth-clients", "no");
        } catch (IllegalStateException e) {
            // the embedded-redis fallback binary is built without TLS
            Assumptions.abort("this redis-server has no TLS support: " + e.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void consumerAndProducerWorkOverRediss() throws Exception {
        // a self-signed certificate: verifyPeer=NONE, as a user would for a test server; a CA-signed one verifies
        String url = "rediss://127.0.0.1:" + tlsPort + "?verifyPeer=NONE";
        List<String> received = new CopyOnWriteArrayList<>();
        CamelContext camel = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.setRedisUrl(url);
        camel.addComponent("redis-streams", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:tls:in?group=g&blockTime=200ms").routeId("tls")
                        .process(e -> received.add(e.getMessage().getBody(Map.class).get("n").toString()))
                        .to("redis-streams:tls:out");
            }
        });
        camel.start();
        RedisClient plain = RedisClient.create(redis.url());
        try {
            RedisCommands<String, String> commands = plain.connect().sync();
            commands.xadd("tls:in", Map.of("n", "1"));
            commands.xadd("tls:in", Map.of("n", "2"));

            await().atMost(Duration.ofSeconds(15)).until(() -> commands.xlen("tls:out") == 2);
            assertThat(received).containsExactly("1", "2");
            await().atMost(Duration.ofSeconds(5)).until(() -> commands.xpending("tls:in", "g").getCount() == 0);
        } finally {
            camel.stop();
            plain.shutdown();
        }
    }
}
