package io.crmsync.ops.cli;

import java.util.Map;

import io.crmsync.sources.redis.TenantStreams;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The app started for a command: same configuration and routes, but no web server and no stream consumer running,
 * so a command never takes entries from the running instances. Handler routes ({@code direct:}) run, so commands
 * map events exactly as the service does.
 */
final class ToolContext {

    private ToolContext() {
    }

    static ConfigurableApplicationContext start(Class<?> application) throws Exception {
        Servers.checkRedisAndMongo();
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(Map.of(
                "camel.main.auto-startup", "false",
                // a command runs for seconds; it must not reload routes under itself
                "crm.routes.watch.enabled", "false",
                "logging.level.root", "WARN",
                "logging.level.io.crmsync", "WARN",
                // a command's Camel runs for seconds by design: not worth Camel's warning that it ran less than one
                "logging.level.org.apache.camel.spring.boot.SpringBootCamelContext", "ERROR",
                // admin actions (replay, re-drive) are audited at INFO, from a command as from HTTP
                "logging.level.io.crmsync.ops", "INFO"));
        ConfigurableApplicationContext context = app.run();
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
}
