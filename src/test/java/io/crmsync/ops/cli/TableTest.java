package io.crmsync.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void aCellLongerThanItsHeaderWidensTheColumnSoTheNextOneStillLinesUp() {
        String source = "crm:sync:credits:credit_config_updated/1796638595801-0"; // far beyond the old 40 characters

        List<String> lines = new Table("ID", "SOURCE", "FAILED AT")
                .row("1-0", "s/1-0", "2026-12-07T10:16:36Z")
                .row("1796638596071-0", source, "2026-12-07T10:16:37Z")
                .lines();

        int failedAt = lines.get(0).indexOf("FAILED AT");
        assertThat(lines.get(1).indexOf("2026-12-07T10:16:36Z")).isEqualTo(failedAt);
        assertThat(lines.get(2).indexOf("2026-12-07T10:16:37Z")).isEqualTo(failedAt);
        assertThat(lines.get(2)).contains(source + "  2026");
    }

    @Test
    void everyColumnOfEveryRowStartsWhereItsHeaderStarts() {
        List<String> lines = new Table("PROCESSED-AT", "STATUS", "ENTRY", "ERROR")
                .row("2026-12-07T10:16:36.240Z", "deadlettered", "crm:sync:user:user_created/1796638595805-0", "invalid-json")
                .row("2026-12-07T10:16:36.1Z", "processed", "credit-events/1-0", null)
                .lines();

        int error = lines.get(0).indexOf("ERROR");
        assertThat(lines.get(1).indexOf("invalid-json")).isEqualTo(error);
        assertThat(lines.get(2)).endsWith("-").hasSize(error + 1); // a missing error shows as -
        assertThat(lines.get(2).indexOf("credit-events")).isEqualTo(lines.get(0).indexOf("ENTRY"));
    }

    @Test
    void rightAlignedNumbersEndUnderTheirHeaderAndNoLineEndsInSpaces() {
        List<String> lines = new Table("STREAM", ">PENDING", "LAST")
                .row("a-very-long-stream-key-of-a-tenant", 123456789, "0-0")
                .row("s", 7, "1-0")
                .lines();

        int end = lines.get(0).indexOf("PENDING") + "PENDING".length();
        assertThat(lines.get(1).indexOf("123456789") + 9).isEqualTo(end);
        assertThat(lines.get(2).indexOf("7") + 1).isEqualTo(end);
        assertThat(lines).noneMatch(l -> l.endsWith(" "));
    }
}
