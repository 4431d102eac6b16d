package io.crmsync.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.crmsync.CrmSyncApplication;
import org.junit.jupiter.api.Test;

/** The jar's command line as a user first meets it. */
class CommandsTest {

    @Test
    void helpListsTheCommandsAndTheDemosEmbeddedServersIncludingPostgresql() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Commands.run(CrmSyncApplication.class, "help", new String[0]);
        } finally {
            System.setOut(original);
        }

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .contains("Usage: java -jar crm-sync.jar [command] [args]")
                .anyMatch(l -> l.matches(" +demo +run the service against embedded Redis, MongoDB and PostgreSQL.*"))
                .anyMatch(l -> l.matches(" +status +.*"))
                .anyMatch(l -> l.matches(" +records +.*--key.*"));
    }
}
