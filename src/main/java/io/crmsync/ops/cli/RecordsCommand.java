package io.crmsync.ops.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.ops.CommandTools;

final class RecordsCommand implements Command {

    @Override
    public String name() {
        return "records";
    }

    @Override
    public String summary() {
        return "one entity's sync log, newest first: --key K (an agent's uid, a user's id) [--tenant T] [--limit N] [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of("key", "tenant", "limit"), Set.of("json"));
        if (options.get("key") == null) {
            throw new Options.UsageException("records needs --key");
        }
        Servers.checkMongo();
        try (CommandTools tools = ToolContext.tools()) {
            List<Map<String, Object>> records = tools.syncLog().of(options.get("key"), options.get("tenant"),
                    options.integer("limit") == null ? 100 : options.integer("limit"));
            if (options.flag("json")) {
                JsonOut.print(records);
            } else {
                Table table = new Table("PROCESSED-AT", "STATUS", "EVENT-TYPE", "ENTRY", "ERROR");
                records.forEach(r -> table.row(r.get("processedAt"), r.get("status"), r.get("eventType"), r.get("_id"),
                        r.get("error")));
                table.print(System.out);
                System.out.printf("%d record(s)%n", records.size());
            }
            return 0;
        }
    }
}
