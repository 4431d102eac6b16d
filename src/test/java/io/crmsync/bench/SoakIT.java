package io.crmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak (docs/reliability.md) in short: one fault of each kind, 1,000 malformed entries among 2,000 valid ones, on
 * the packaged jar the failsafe phase has. It asserts every invariant the full run checks.
 */
class SoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);

    @Test
    void everyInvariantHoldsAfterOneFaultOfEachKind() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        Soak.Options options = new Soak.Options(1, Duration.ofSeconds(15), 2_000, 1_000, 120, 15, 3_000, 1_000, 1_000, 3,
                Duration.ofSeconds(120), "384m", "512m", 7,
                // C1 only: the apps start sooner on two shared cores, and nothing here measures their speed
                List.of("-XX:TieredStopAtLevel=1"),
                // a standby takes the slot soon after its reader's death; 3,000 snapshot rows take far less
                Duration.ofSeconds(30));
        LOG.info("Expect crm-sync, Redis, MongoDB, PostgreSQL and Kafka errors in the apps' logs next: the soak kills and "
                + "freezes them on purpose");

        Soak.Result result = new Soak(options, repo).run();

        String report = result.report(options);
        Files.writeString(repo.resolve("target/soak-it-results.md"), report);
        LOG.info("soak results:\n{}", report);
        assertThat(String.join("\n", result.faults())).as("faults injected").contains("CDC snapshot: kill -9",
                "kill -9 soak-app-", "MongoDB frozen", "Redis: kill -9", "PostgreSQL: stopped while streaming",
                "Kafka: kill -9");
        SoftAssertions softly = new SoftAssertions();
        for (SoakCheck.Invariant invariant : result.check().invariants) {
            softly.assertThat(invariant.pass()).as("%s: expected %s, observed %s; %s", invariant.name(), invariant.expected(),
                    invariant.observed(), invariant.evidence()).isTrue();
        }
        softly.assertAll();
    }
}
