package io.crmsync.ops.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.StreamConnection;

/**
 * Appends one entry to a stream, as the wrapper would publish it: {@code publish <stream> field=value ...}. For
 * trying a new event type without redis-cli; a value is taken as it is written, so {@code data} is a JSON string.
 */
final class PublishCommand implements Command {

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public String summary() {
        return "append an entry to a stream: <stream> field=value ... (e.g. eventType=user.updated 'data={...}')";
    }

    @Override
    public int run(Class<?> application, String[] args) {
        Options options = new Options(args, Set.of(), Set.of());
        List<String> positional = options.positional();
        if (positional.size() < 2) {
            throw new Options.UsageException("publish needs a stream and at least one field=value");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : positional.subList(1, positional.size())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Options.UsageException("'" + pair + "' is not field=value");
            }
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Servers.checkRedis();
        try (RedisStreamsClient client = RedisStreamsClient.create(Servers.redisUrl(), "auto", Duration.ofMillis(100),
                Duration.ofSeconds(1)); StreamConnection connection = client.connect()) {
            String id = connection.commands().xadd(positional.get(0), fields);
            System.out.println("Published " + id + " to " + positional.get(0) + (fields.containsKey("entityId")
                    ? "; what became of it: java -jar target/crm-sync.jar records --key " + fields.get("entityId") : ""));
        }
        return 0;
    }
}
