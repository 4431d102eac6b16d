package io.crmsync.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.crmsync.CrmSyncApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ValidateCommand command = new ValidateCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void theRepositoryRoutesExitZeroWithASummary() throws Exception {
        assertThat(command.run(CrmSyncApplication.class, new String[] {"routes"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("15 routes and mapping file(s) in routes are valid");
    }

    @Test
    void aBrokenFileExitsOneWithFileLineAndMessage() throws Exception {
        Files.copy(Path.of("routes/common.camel.yaml"), dir.resolve("common.camel.yaml"));
        Files.writeString(dir.resolve("bad.camel.yaml"), """
                - route:
                    id: bad
                    from:
                      uri: "direct:bad"
                      steps:
                        - bean:
                            ref: nobody
                """);

        assertThat(command.run(CrmSyncApplication.class, new String[] {dir.toString()})).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                // the line of the offending step, not of the route's from
                .contains(dir.resolve("bad.camel.yaml") + ":6: bean 'nobody' is not a bean of the app")
                .contains("1 problem(s)");
    }

    @Test
    void aMissingDirectoryOrExtraArgumentsAreUsageErrors() throws Exception {
        assertThat(command.run(CrmSyncApplication.class, new String[] {dir.resolve("nope").toString()})).isEqualTo(2);
        assertThat(command.run(CrmSyncApplication.class, new String[] {"a", "b"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Not a directory").contains("Usage:");
    }

    @Test
    void anEmptyDirectoryFails() throws Exception {
        assertThat(command.run(CrmSyncApplication.class, new String[] {dir.toString()})).isEqualTo(1);
    }

    @Test
    void theCommandIsRegisteredByName() throws Exception {
        assertThat(Commands.run(CrmSyncApplication.class, "validate", new String[] {"routes"})).isZero();
    }
}
