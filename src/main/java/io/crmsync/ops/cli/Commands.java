package io.crmsync.ops.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jar's commands by name. Adding one is a class implementing {@link Command} and a line in {@link #ALL}.
 */
public final class Commands {

    private static final List<Command> ALL = List.of(
            new DemoCommand(),
            new ValidateCommand(),
            new TestCommand(),
            new StatusCommand(),
            new DlqCommand(),
            new RedriveCommand(),
            new VerifyCommand(),
            new RepairCommand(),
            new RecordsCommand(),
            new PublishCommand());

    private Commands() {
    }

    public static int run(Class<?> application, String name, String[] args) throws Exception {
        Map<String, Command> byName = new LinkedHashMap<>();
        ALL.forEach(c -> byName.put(c.name(), c));
        Command command = byName.get(name);
        if (command == null) {
            boolean asked = name.equals("help") || name.equals("--help");
            (asked ? System.out : System.err).println((asked ? "" : "Unknown command '" + name + "'.\n") + usage(byName));
            return asked ? 0 : 2;
        }
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        ToolContext.debug(debug);
        try {
            return command.run(application, java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new));
        } catch (Options.UsageException | org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException e) {
            System.err.println(name + ": " + e.getMessage() + "\n" + usage(byName));
            return 2;
        } catch (Exception e) {
            if (debug) {
                throw e;
            }
            // one line: what failed, in the words of its deepest cause and without credentials; --debug shows the trace
            System.err.println(name + ": " + (e instanceof Servers.Unreachable unreachable ? unreachable.getMessage()
                    : io.crmsync.core.deadletter.Redaction.rootCause(e) + " (--debug shows the stack trace)"));
            return 1;
        }
    }

    private static String usage(Map<String, Command> commands) {
        StringBuilder text = new StringBuilder("Usage: java -jar crm-sync.jar [command] [args]\n"
                + "Without a command it runs the service. Commands (--debug: a failure's stack trace):\n");
        commands.values().forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        return text.toString();
    }
}
