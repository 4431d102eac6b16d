package io.crmsync.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ServerGateTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ServerGate.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void opensOnceTheProbeAnswersAndThenRunsWhatWaitedForItOnce() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        ServerGate gate = new ServerGate("mongodb", "127.0.0.1:27017", () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new ConnectException("Connection refused");
            }
        });
        gate.whenOpen(started::incrementAndGet);

        gate.openWhenAnswered(Duration.ofMillis(1), Duration.ofMillis(5), () -> true);

        assertThat(gate.isOpen()).isTrue();
        assertThat(attempts).hasValue(4);
        assertThat(started).hasValue(1);
        gate.whenOpen(started::incrementAndGet);
        assertThat(started).as("an action added once open runs at once").hasValue(2);
    }

    @Test
    void logsOneLineWhenItStartsWaitingAndOneWhenTheServerAnswersNotOnePerAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        ServerGate gate = new ServerGate("redis", "redis://127.0.0.1:6379", () -> {
            if (attempts.incrementAndGet() < 20) {
                // the message changes with every attempt, as the drivers' timings and counters do
                throw new ConnectException("Connection refused after " + attempts.get() + " ms");
            }
        });

        gate.openWhenAnswered(Duration.ofMillis(1), Duration.ofMillis(2), () -> true);

        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("Waiting for redis at redis://127.0.0.1:6379: ConnectException");
        assertThat(lines.get(1)).startsWith("redis at redis://127.0.0.1:6379 answers after");
        assertThat(log.list.stream().allMatch(e -> e.getThrowableProxy() == null)).as("no stack traces").isTrue();
    }

    @Test
    void aStartWaitsForTheFirstAttemptOnlyNotForTheServer() {
        ServerGate gate = new ServerGate("mongodb", "127.0.0.1:27017", () -> {
            throw new ConnectException("Connection refused");
        });
        ServerGates gates = new ServerGates(List.of(gate), Duration.ofSeconds(10), Duration.ofSeconds(10));
        try {
            gates.start();
            long started = System.nanoTime();
            assertThat(gates.waitingFor(List.of("mongodb", "redis"), Duration.ofSeconds(5)))
                    .containsExactly("mongodb at 127.0.0.1:27017");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            gates.close();
        }
    }
}
