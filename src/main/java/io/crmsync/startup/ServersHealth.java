package io.crmsync.startup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code servers} check of readiness: DOWN while a server crm-sync needs has not answered since the start, naming
 * it ({@code waitingFor: ["mongodb at 127.0.0.1:27017"]}) and why the last attempt failed. Once a server has answered,
 * its own checks (mongo, the consumers', cdc) report its outages.
 */
final class ServersHealth implements HealthIndicator {

    private final ServerGates gates;

    ServersHealth(ServerGates gates) {
        this.gates = gates;
    }

    @Override
    public Health health() {
        List<ServerGate> closed = gates.all().stream().filter(g -> !g.isOpen()).toList();
        Map<String, Object> servers = new LinkedHashMap<>();
        for (ServerGate gate : gates.all()) {
            servers.put(gate.description(), gate.isOpen() ? "answered"
                    : gate.lastFailure() == null ? "waiting" : "waiting: " + gate.lastFailure());
        }
        Health.Builder health = closed.isEmpty() ? Health.up() : Health.down()
                .withDetail("waitingFor", closed.stream().map(ServerGate::description).toList());
        return health.withDetail("servers", servers).build();
    }
}
