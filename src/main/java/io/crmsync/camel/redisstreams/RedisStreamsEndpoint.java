package io.crmsync.camel.redisstreams;

import java.util.Arrays;
import java.util.List;

import io.crmsync.camel.redisstreams.client.RedisStreamsClient;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Consumes one or more streams through a consumer group, or appends to a stream.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "redis-streams", title = "Redis Streams", syntax = "redis-streams:streams",
             category = { Category.MESSAGING }, headersClass = RedisStreamsConstants.class)
public class RedisStreamsEndpoint extends DefaultEndpoint {

    @UriPath(description = "Comma-separated stream keys; the producer appends to the first.")
    @Metadata(required = true)
    private String streams;
    @UriParam
    private RedisStreamsConfiguration configuration;

    public RedisStreamsEndpoint(String uri, RedisStreamsComponent component, String streams,
                                RedisStreamsConfiguration configuration) {
        super(uri, component);
        this.streams = streams;
        this.configuration = configuration;
    }

    @Override
    public RedisStreamsComponent getComponent() {
        return (RedisStreamsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new RedisStreamsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RedisStreamsConsumer consumer = new RedisStreamsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The stream keys of the path, in order. */
    public List<String> streamKeys() {
        return Arrays.stream(streams.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    RedisStreamsClient client() {
        return getComponent().client();
    }

    public String getStreams() {
        return streams;
    }

    /**
     * Comma-separated stream keys.
     */
    public void setStreams(String streams) {
        this.streams = streams;
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }
}
