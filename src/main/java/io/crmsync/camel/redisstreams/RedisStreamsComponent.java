package io.crmsync.camel.redisstreams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import io.crmsync.camel.redisstreams.client.RedisUrls;
import io.lettuce.core.AbstractRedisClient;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;

/**
 * Reads Redis Streams through consumer groups with at-least-once delivery, and appends to them (XADD).
 * <p>
 * URI: {@code redis-streams:key1[,key2...][?options]}. Keys may contain colons. Endpoints with the same connection
 * settings share one Lettuce client, which the component closes when it stops.
 */
@org.apache.camel.spi.annotations.Component("redis-streams")
public class RedisStreamsComponent extends HealthCheckComponent {

    @Metadata(label = "common", defaultValue = "redis://localhost:6379", secret = true,
              description = "The default Redis URL; kept in the configuration, where endpoints copy it from.")
    private String redisUrl = "redis://localhost:6379";
    @Metadata(description = "Component-wide defaults for every endpoint; URI options override them per endpoint.")
    private RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();

    // one client per distinct connection setting; an XREADGROUP BLOCK needs its own connection, not its own client
    private final Map<Object, RedisStreamsClient> clients = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ObjectHelper.isEmpty(remaining)) {
            throw new IllegalArgumentException("A stream key is required: redis-streams:key[,key...]");
        }
        RedisStreamsConfiguration endpointConfiguration = configuration.copy();
        // bind URI options onto the configuration first; what remains are endpoint options (bridgeErrorHandler, ...)
        setProperties(endpointConfiguration, parameters);
        // the URI may carry redisUrl with a password: the endpoint shows it masked in logs and JMX
        RedisStreamsEndpoint endpoint = new RedisStreamsEndpoint(RedisUrls.masked(uri), this, remaining,
                endpointConfiguration);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * The shared client for an endpoint's connection settings.
     */
    RedisStreamsClient client(RedisStreamsConfiguration config) {
        AbstractRedisClient bean = config.getRedisClient();
        if (bean != null) {
            return clients.computeIfAbsent(bean, b -> RedisStreamsClient.of(bean));
        }
        String key = config.getRedisUrl() + "|" + config.getCluster();
        return clients.computeIfAbsent(key, k -> RedisStreamsClient.create(config.getRedisUrl(), config.getCluster(),
                config.getReconnectBackoffMin(), config.getReconnectBackoffMax()));
    }

    @Override
    protected void doStop() throws Exception {
        clients.values().forEach(RedisStreamsClient::close);
        clients.clear();
        super.doStop();
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * Defaults for every endpoint of this component.
     */
    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
        this.redisUrl = configuration.getRedisUrl();
    }

    public String getRedisUrl() {
        return configuration.getRedisUrl();
    }

    /**
     * The default Redis URL (see {@link RedisStreamsConfiguration#setRedisUrl}).
     */
    public void setRedisUrl(String redisUrl) {
        this.redisUrl = redisUrl;
        configuration.setRedisUrl(redisUrl);
    }

    public AbstractRedisClient getRedisClient() {
        return configuration.getRedisClient();
    }

    /**
     * A Lettuce client bean used instead of the URL.
     */
    public void setRedisClient(AbstractRedisClient redisClient) {
        configuration.setRedisClient(redisClient);
    }
}
