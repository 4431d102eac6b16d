package io.crmsync.ops.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.crmsync.ops.CommandTools;
import io.crmsync.routes.OfflineEnvironment;
import io.crmsync.sources.redis.TenantStreams;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * The app as a command starts it, in one of two sizes.
 * <ul>
 * <li>{@link #start}: same configuration and routes, but no web server and no stream consumer running, so a command
 * never takes entries from the running instances. Handler routes ({@code direct:}) run, so commands that apply events
 * (redrive, verify, repair, dlq replay) map them exactly as the service does.</li>
 * <li>{@link #tools}: {@link CommandTools} alone, for the commands that read: the settings and the connections they use,
 * no application context, no Camel, no slot monitor, no index set-up. The app's context takes ten seconds or more to
 * start on a busy machine, and its CPU, for work these commands never use.</li>
 * </ul>
 */
final class ToolContext {

    // set by Commands for the command it runs: the audit lines (replay, re-drive) are the app log's, not the user's
    private static volatile boolean debug;

    private ToolContext() {
    }

    static void debug(boolean on) {
        debug = on;
    }

    static ConfigurableApplicationContext start(Class<?> application) throws Exception {
        Servers.checkRedisAndMongo();
        // the store's pool connects as the context starts; the captured database is only probed in the background
        // (the CDC route never starts here), so it cannot hold a command up
        Servers.checkLeadsDatabase();
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        Map<String, Object> defaults = new HashMap<>(logging());
        // a command's Camel runs for seconds by design: not worth Camel's warning that it ran less than one
        defaults.put("logging.level.org.apache.camel.spring.boot.SpringBootCamelContext", "ERROR");
        defaults.put("camel.main.auto-startup", "false");
        app.setDefaultProperties(defaults);
        // arguments, not defaults: application.yaml turns these on, and a default yields to it
        ConfigurableApplicationContext context = app.run(
                // a command runs for seconds; it must not reload routes under itself
                "--crm.routes.watch.enabled=false",
                // nor watch the slot it never reads: the monitor's checks would log a table's problem into its output
                "--crm.cdc.enabled=false");
        CamelContext camel = context.getBean(CamelContext.class);
        // per-tenant routes are part of what the service consumes: add them (not started) so commands see them
        context.getBean(TenantStreams.class).refresh();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().startsWith("direct:")) {
                camel.getRouteController().startRoute(route.getRouteId());
            }
        }
        return context;
    }

    /** The read-only tools; the caller has checked the servers it will use. */
    static CommandTools tools() {
        StandardEnvironment environment = OfflineEnvironment.load();
        setLogLevels(environment);
        return new CommandTools(environment);
    }

    /**
     * The levels Spring Boot would set from {@link #logging()} and the settings' {@code logging.level.*}, which win, as
     * they do in the app. The read-only commands start no application context, so no one else sets them.
     */
    private static void setLogLevels(StandardEnvironment environment) {
        Map<String, String> levels = new LinkedHashMap<>();
        logging().forEach((key, level) -> levels.put(key.substring("logging.level.".length()), level.toString()));
        Binder.get(environment).bind("logging.level", Bindable.mapOf(String.class, String.class)).ifBound(levels::putAll);
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        levels.forEach((name, level) -> logback.getLogger(name.equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : name)
                .setLevel(Level.toLevel(level, Level.WARN)));
    }

    private static Map<String, Object> logging() {
        return Map.of(
                "logging.level.root", "WARN",
                "logging.level.io.crmsync", "WARN",
                // admin actions (replay, re-drive) are audited at INFO in the app's log; a command prints its own
                // summary, and shows those lines only with --debug
                "logging.level.io.crmsync.ops", debug ? "INFO" : "WARN");
    }
}
