package io.crmsync.ops.cli;

import java.util.List;
import java.util.Set;

import io.crmsync.ops.StreamsStatus;
import io.crmsync.sources.debezium.SlotMonitor;
import org.springframework.context.ConfigurableApplicationContext;

final class StatusCommand implements Command {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "per stream and group: length, consumers, pending, lag, oldest pending age, last delivered [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of(), Set.of("json"));
        try (ConfigurableApplicationContext context = ToolContext.start(application)) {
            List<StreamsStatus.StreamStatus> all = context.getBean(StreamsStatus.class).all();
            if (options.flag("json")) {
                JsonOut.print(all);
                return 0;
            }
            Table streams = new Table("STREAM", "GROUP", ">LENGTH", ">CONS", ">PENDING", ">LAG", ">OLDEST", "LAST-DELIVERED");
            all.forEach(s -> streams.row(s.stream(), s.group(), s.length(), s.consumers(), s.pending(), s.lag(),
                    Ages.of(s.oldestPendingIdleMs()), s.lastDeliveredId()));
            streams.print(System.out);
            SlotMonitor cdc = context.getBeanProvider(SlotMonitor.class).getIfAvailable();
            if (cdc != null) {
                System.out.println();
                try {
                    Table tables = new Table("CDC TABLE", "STATE");
                    cdc.checkTablesNow().forEach(tables::row);
                    tables.print(System.out);
                } catch (java.sql.SQLException e) {
                    System.out.println("(the captured database does not answer: " + e.getMessage() + ")");
                }
            }
            return 0;
        }
    }
}
