package io.crmsync.ops.cli;

/**
 * One command of the jar: {@code java -jar crm-sync.jar <name> [args]}.
 */
interface Command {

    String name();

    /** One line for {@code help}. */
    String summary();

    /** @return the process exit code: 0 success, 1 the check found problems, 2 bad usage */
    int run(Class<?> application, String[] args) throws Exception;
}
