package io.crmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.crmsync.routes.DeclaredStreams.StreamGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclaredStreamsTest {

    @TempDir
    Path dir;

    @Test
    void theShippedRoutesDeclareEachStreamWithTheGroupItsTemplatedRouteGivesIt() throws Exception {
        var pairs = DeclaredStreams.in(Path.of("routes"), OfflineEnvironment.load(), "fallback");

        assertThat(pairs).contains(new StreamGroup("crm:sync:user:user_created", "crm-consumers"),
                new StreamGroup("crm:organization-assignments", "organization-assignment-consumers"),
                new StreamGroup("inter-app-events", "inter-app-consumers"),
                new StreamGroup("credit-events", "crm-consumers"))
                .doesNotContain(new StreamGroup("crm:dlq", "crm-consumers"));
    }

    @Test
    void aRouteOfItsOwnNamingNoGroupGetsTheFallback() throws Exception {
        Files.writeString(dir.resolve("own.camel.yaml"), """
                - route:
                    id: own
                    from:
                      uri: "redis-streams:a,b"
                      steps:
                        - log: x
                """);

        assertThat(DeclaredStreams.in(dir, OfflineEnvironment.load(), "g"))
                .containsExactly(new StreamGroup("a", "g"), new StreamGroup("b", "g"));
    }
}
