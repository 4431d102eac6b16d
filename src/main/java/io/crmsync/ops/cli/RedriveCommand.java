package io.crmsync.ops.cli;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.crmsync.ops.OpsParameters;
import io.crmsync.ops.PendingRedrive;
import org.springframework.context.ConfigurableApplicationContext;

final class RedriveCommand implements Command {

    @Override
    public String name() {
        return "redrive";
    }

    @Override
    public String summary() {
        return "re-drive pending entries now: [--stream S] [--min-idle 5m, default half of min-idle-time] [--dry-run] [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of("stream", "min-idle"), Set.of("dry-run", "json"));
        try (ConfigurableApplicationContext context = ToolContext.start(application)) {
            PendingRedrive redrive = context.getBean(PendingRedrive.class);
            Duration minIdle = OpsParameters.duration("min-idle", options.get("min-idle"), redrive.defaultMinIdle());
            List<PendingRedrive.RedriveResult> results = redrive
                    .redrive(options.get("stream"), minIdle, options.flag("dry-run"), "command line (" + System.getProperty("user.name") + ")");
            if (options.flag("json")) {
                JsonOut.print(results);
            } else {
                Table table = new Table("STREAM", "GROUP", "RE-DRIVE");
                results.forEach(r -> table.row(r.stream(), r.group(),
                        (r.dryRun() ? "would re-drive " : "re-driven: ") + r.entries() + " pending entries"));
                table.print(System.out);
            }
            return 0;
        }
    }
}
