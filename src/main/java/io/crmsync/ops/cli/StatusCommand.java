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
            System.out.printf("%-40s %-34s %8s %4s %8s %8s %10s  %s%n", "STREAM", "GROUP", "LENGTH", "CONS", "PENDING",
                    "LAG", "OLDEST", "LAST-DELIVERED");
            for (StreamsStatus.StreamStatus s : all) {
                System.out.printf("%-40s %-34s %8d %4d %8d %8d %10s  %s%n", s.stream(), s.group(), s.length(), s.consumers(),
                        s.pending(), s.lag(), Ages.of(s.oldestPendingIdleMs()), s.lastDeliveredId() == null ? "-" : s.lastDeliveredId());
            }
            SlotMonitor cdc = context.getBeanProvider(SlotMonitor.class).getIfAvailable();
            if (cdc != null) {
                System.out.printf("%nCDC TABLE                                STATE%n");
                try {
                    cdc.checkTablesNow().forEach((table, state) -> System.out.printf("%-40s %s%n", table, state));
                } catch (java.sql.SQLException e) {
                    System.out.println("(the captured database does not answer: " + e.getMessage() + ")");
                }
            }
            return 0;
        }
    }
}
