package io.crmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

class RoutesReloaderTest {

    private final RoutesValidator validator = new RoutesValidator(name -> null, new StandardEnvironment());
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final RoutesReloader reloader = new RoutesReloader(camel);
    private ParsedRoutes a;
    private ParsedRoutes b;

    @BeforeEach
    void start() throws Exception {
        camel.start();
        a = parsed("a.camel.yaml", route("a1", "direct:shared"));
        b = parsed("b.camel.yaml", route("b1", "direct:b1") + route("b2", "direct:b2"));
        reloader.replace(null, a, List.of());
        reloader.replace(null, b, List.of());
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aNewVersionReplacesItsFilesRoutesAndDropsTheOnesItNoLongerHas() throws Exception {
        reloader.replace(b, parsed("b.camel.yaml", route("b1", "direct:b1-new") + route("b3", "direct:b3")), List.of());

        assertThat(camel.getRoute("b1").getEndpoint().getEndpointUri()).isEqualTo("direct://b1-new");
        assertThat(camel.getRoute("b2")).isNull();
        assertThat(status("b3")).isEqualTo(ServiceStatus.Started);
        assertThat(status("a1")).isEqualTo(ServiceStatus.Started);
        assertThat(reloader.runningRoutesOf("b.camel.yaml", null)).containsExactlyInAnyOrder("b1", "b3");
    }

    @Test
    void aVersionThatFailsToStartPutsThePreviousRoutesBack() throws Exception {
        // valid on its own, but a second consumer of direct:shared cannot start: only applying finds that out
        ParsedRoutes clash = parsed("b.camel.yaml", route("b1", "direct:shared") + route("b4", "direct:b4"));

        assertThatThrownBy(() -> reloader.replace(b, clash, List.of())).hasMessageContaining("direct://shared");

        assertThat(camel.getRoute("b1").getEndpoint().getEndpointUri()).isEqualTo("direct://b1");
        assertThat(status("b1")).isEqualTo(ServiceStatus.Started);
        assertThat(status("b2")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRoute("b4")).isNull();
        assertThat(status("a1")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aDeletedFileTakesItsRoutesWithIt() throws Exception {
        reloader.replace(b, null, List.of());

        assertThat(camel.getRoute("b1")).isNull();
        assertThat(camel.getRoute("b2")).isNull();
        assertThat(status("a1")).isEqualTo(ServiceStatus.Started);
    }

    private ServiceStatus status(String id) {
        return camel.getRouteController().getRouteStatus(id);
    }

    private ParsedRoutes parsed(String name, String yaml) {
        RoutesValidator.Result result = validator.parse(RouteFile.of(name, yaml));
        assertThat(result.problems()).isEmpty();
        return result.parsed();
    }

    private static String route(String id, String from) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "%s"
                      steps:
                        - log: "%s"
                """.formatted(id, from, id);
    }
}
