package io.crmsync.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.crmsync.embedded.EmbeddedRedis;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka broker in KRaft mode (broker and controller), in this JVM, from the kafka_2.13 jars: on free ports, with
 * its log in a temporary directory, and restartable on the same port and data, so a test can restart the broker.
 * {@link #main} runs one in a JVM of its own, which the soak (io.crmsync.bench.KafkaProcess) kills with SIGKILL.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path data;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;
    private KafkaProducer<String, String> producer;

    private EmbeddedKafka(Path data) {
        this(data, EmbeddedRedis.freePort(), EmbeddedRedis.freePort());
    }

    private EmbeddedKafka(Path data, int port, int controllerPort) {
        this.data = data;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * A broker in this JVM until it is killed: {@code <data dir> <port> <controller port> <topic>...}. Started again on
     * the same directory and ports, it keeps its data (the directory is formatted once). Prints {@code READY <port>}.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        // formatted again, the log would get a new cluster id and the broker would refuse its own data
        if (!Files.exists(kafka.data.resolve("log/meta.properties"))) {
            kafka.format();
        }
        kafka.startBroker();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            java.util.Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = java.util.Arrays.stream(args).skip(3).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 2, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
        System.out.println("READY " + kafka.port);
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }

    static EmbeddedKafka start(String... topics) {
        try {
            EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("embedded-kafka-"));
            kafka.format();
            kafka.startBroker();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, 2, (short) 1)).toList())
                        .all().get();
            }
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Sends one record and waits until the broker has it. */
    synchronized void send(String topic, String key, String value) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers(), "acks", "all"),
                    new StringSerializer(), new StringSerializer());
        }
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Stops the broker; {@link #restart()} brings it back on the same port with the same data. */
    void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    void restart() {
        startBroker();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        stop();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", data.resolve("log").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private void format() throws IOException {
        Path config = data.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            properties().store(writer, null);
        }
        int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--ignore-formatted"}, System.out);
        if (exit != 0) {
            throw new UncheckedIOException(new IOException("kafka storage format exited " + exit));
        }
    }

    private void startBroker() {
        server = new KafkaRaftServer(new KafkaConfig(properties()), Time.SYSTEM);
        server.startup();
    }

    static List<String> cdcTopics() {
        return List.of("crm.public.purchase_ledger", "crm.public.wallet_ledger");
    }
}
