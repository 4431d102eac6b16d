package io.crmsync.ops.cli;

import java.util.Set;

import io.crmsync.ops.DeadLetterFilter;
import io.crmsync.ops.Repairer;
import org.springframework.context.ConfigurableApplicationContext;

final class RepairCommand implements Command {

    @Override
    public String name() {
        return "repair";
    }

    @Override
    public String summary() {
        return "re-apply what verify finds: --stream S [--from ID] [--to ID] [--limit N]; or relink and replay "
                + "mismatch dead letters: --relink REASON [--limit N]; [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of("stream", "from", "to", "limit", "relink"), Set.of("json"));
        String stream = options.get("stream");
        String relink = options.get("relink");
        if ((stream == null) == (relink == null)) {
            throw new Options.UsageException("repair needs --stream or --relink (a mismatch reason, such as "
                    + "agent-uid-mismatch)");
        }
        try (ConfigurableApplicationContext context = ToolContext.start(application)) {
            Repairer repairer = context.getBean(Repairer.class);
            String actor = "command (" + System.getProperty("user.name") + ")";
            Repairer.Report report = relink != null
                    ? repairer.relink(relink, options.integer("limit") == null ? DeadLetterFilter.DEFAULT_LIMIT
                            : options.integer("limit"), actor)
                    : repairer.repair(stream, options.get("from") == null ? "-" : options.get("from"),
                            options.get("to") == null ? "+" : options.get("to"),
                            options.integer("limit") == null ? 100_000 : options.integer("limit"), actor);
            if (options.flag("json")) {
                JsonOut.print(report);
            } else {
                report.repaired().forEach(r -> System.out.printf("%s  repaired  %s %s%n", r.entryId(), r.eventId(), r.location()));
                report.failed().forEach(r -> System.out.printf("%s  FAILED    %s %s: %s%n", r.entryId(), r.eventId(),
                        r.location(), r.error()));
                System.out.printf("%d checked: %d repaired, %d failed%n", report.checked(), report.repaired().size(),
                        report.failed().size());
            }
            return report.failed().isEmpty() ? 0 : 1;
        }
    }
}
