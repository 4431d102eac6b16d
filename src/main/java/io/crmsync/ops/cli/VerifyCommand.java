package io.crmsync.ops.cli;

import java.util.Set;

import io.crmsync.ops.Verifier;
import org.springframework.context.ConfigurableApplicationContext;

final class VerifyCommand implements Command {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "entries of a stream range that MongoDB does not reflect: --stream S [--from ID] [--to ID] [--limit N] [--json]";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Options options = new Options(args, Set.of("stream", "from", "to", "limit"), Set.of("json"));
        String stream = options.get("stream");
        if (stream == null) {
            throw new Options.UsageException("verify needs --stream");
        }
        int limit = options.integer("limit") == null ? 100_000 : options.integer("limit");
        try (ConfigurableApplicationContext context = ToolContext.start(application)) {
            Verifier.Report report = context.getBean(Verifier.class).verify(stream,
                    options.get("from") == null ? "-" : options.get("from"), options.get("to") == null ? "+" : options.get("to"),
                    limit, checked -> progress(checked));
            // the progress line is wiped, so the summary's count is the only one left on the screen
            progress(null);
            if (options.flag("json")) {
                JsonOut.print(report);
            } else {
                report.findings().forEach(f -> System.out.printf("%s  %-9s %-28s %s %s%n", f.entryId(), f.problem(),
                        f.eventType(), f.location() == null ? "" : f.location(), f.fields().isEmpty() ? "" : f.fields()));
                System.out.printf("%d checked: %d up to date, %d dead-lettered, %d write nothing, %d not reflected%n",
                        report.checked(), report.upToDate(), report.deadLettered(), report.notApplicable(), report.findings().size());
            }
            return report.findings().isEmpty() ? 0 : 1;
        }
    }

    /** On a terminal only: in a pipe or a CI log the summary line says it all. */
    private static void progress(Integer checked) {
        if (System.console() != null) {
            System.err.print(checked == null ? "\r" + " ".repeat(40) + "\r" : "\rchecked " + checked + " entries");
        }
    }
}
