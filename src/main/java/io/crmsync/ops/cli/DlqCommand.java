package io.crmsync.ops.cli;

import java.util.List;
import java.util.Set;

import io.crmsync.ops.CommandTools;
import io.crmsync.ops.DeadLetterEntry;
import io.crmsync.ops.DeadLetterFilter;
import io.crmsync.ops.DeadLetterTool;
import io.crmsync.ops.OpsParameters;
import org.springframework.context.ConfigurableApplicationContext;

final class DlqCommand implements Command {

    private static final Set<String> FILTERS = Set.of("reason", "type", "from", "to", "limit");

    @Override
    public String name() {
        return "dlq";
    }

    @Override
    public String summary() {
        return "dead letters: list|replay [--reason R] [--type T] [--from ISO] [--to ISO] [--limit N] [--dry-run] [--json]; inspect <id>";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, FILTERS, Set.of("dry-run", "json"));
        List<String> words = options.positional();
        String action = words.isEmpty() ? "list" : words.get(0);
        if (!Set.of("list", "inspect", "replay").contains(action) || (action.equals("inspect") && words.size() != 2)) {
            throw new Options.UsageException("dlq list | dlq inspect <id> | dlq replay, with filters");
        }
        DeadLetterFilter filter = action.equals("replay")
                ? OpsParameters.replayFilter(options.get("reason"), options.get("type"), options.get("from"), options.get("to"),
                        options.integer("limit"))
                : OpsParameters.filter(options.get("reason"), options.get("type"), options.get("from"), options.get("to"),
                        options.integer("limit"));
        // a replay sends a change's dead letter back through the CDC routes: only it needs the app's context
        if (action.equals("replay")) {
            try (ConfigurableApplicationContext context = ToolContext.start(application)) {
                return replay(context.getBean(DeadLetterTool.class), filter, options);
            }
        }
        Servers.checkRedis();
        try (CommandTools tools = ToolContext.tools()) {
            DeadLetterTool tool = tools.deadLetters();
            if (action.equals("inspect")) {
                JsonOut.print(tool.inspect(words.get(1)));
            } else {
                list(tool.list(filter), options.flag("json"));
            }
            return 0;
        }
    }

    private static int replay(DeadLetterTool tool, DeadLetterFilter filter, Options options) throws Exception {
        DeadLetterTool.ReplayResult result = tool.replay(filter, options.flag("dry-run"),
                "command line (" + System.getProperty("user.name") + ")");
        if (options.flag("json")) {
            JsonOut.print(result);
        } else {
            System.out.printf("%s %d of %d matching dead-letter entries%s%n", result.dryRun() ? "Would replay" : "Replayed",
                    result.replayed(), result.matched(),
                    result.failures().isEmpty() ? "" : "; failed: " + result.failures());
        }
        return result.failures().isEmpty() ? 0 : 1;
    }

    private static void list(List<DeadLetterEntry> entries, boolean json) throws Exception {
        if (json) {
            JsonOut.print(entries);
            return;
        }
        Table table = new Table("ID", "REASON", "EVENT TYPE", "SOURCE", "FAILED AT");
        entries.forEach(e -> table.row(e.id(), e.reason(), e.eventType(), e.sourceStream() + "/" + e.sourceId(), e.failedAt()));
        table.print(System.out);
        System.out.println(entries.size() + " entries");
    }
}
