package io.crmsync.ops.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.ops.CommandTools;
import io.crmsync.ops.StreamsStatus;
import io.crmsync.sources.debezium.CdcProperties;
import io.crmsync.sources.debezium.SlotMonitor;

final class StatusCommand implements Command {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "per stream and group: length, consumers, pending, lag, oldest pending age, last delivered; CDC tables [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of(), Set.of("json"));
        // MongoDB too: it lists the active tenants, whose credit-events streams are consumed
        Servers.checkRedisAndMongo();
        Servers.checkCdcDatabase();
        try (CommandTools tools = ToolContext.tools()) {
            List<StreamsStatus.StreamStatus> all = tools.streamsStatus().all();
            if (options.flag("json")) {
                JsonOut.print(all);
                return 0;
            }
            Table streams = new Table("STREAM", "GROUP", ">LENGTH", ">CONS", ">PENDING", ">LAG", ">OLDEST", "LAST-DELIVERED");
            all.forEach(s -> streams.row(s.stream(), s.group(), s.length(), s.consumers(), s.pending(), s.lag(),
                    Ages.of(s.oldestPendingIdleMs()), s.lastDeliveredId()));
            streams.print(System.out);
            CdcProperties cdc = tools.cdc();
            if (cdc.enabled()) {
                System.out.println();
                printTables(cdc);
            }
            return 0;
        }
    }

    /** Each captured table and what to fix, read now: a command runs no slot monitor. */
    private static void printTables(CdcProperties cdc) {
        Map<String, String> tables;
        try {
            tables = SlotMonitor.checkTables(cdc);
        } catch (java.sql.SQLException e) {
            System.out.println("CDC TABLES: the captured database does not answer: " + e.getMessage());
            return;
        }
        Table table = new Table("CDC TABLE", "STATE");
        tables.forEach(table::row);
        table.print(System.out);
    }
}
