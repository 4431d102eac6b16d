package io.crmsync.camel.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.crmsync.camel.redisstreams.client.ReconnectingConnection;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * XADD of the body map (plus {@code fieldHeaders}) to the endpoint's first stream, or to the stream in the
 * {@link RedisStreamsConstants#OVERRIDE_STREAM} header. A body that is a non-empty list of maps is appended as one
 * entry per map, in one pipelined round trip, in list order. Field values become text through Camel's type
 * converters. Any Redis failure fails the exchange: a dead-letter write that did not happen must not let the source
 * entry be acked.
 */
public class RedisStreamsProducer extends DefaultProducer {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final RedisStreamsConfiguration config;
    private final List<String> fieldHeaders;
    // opened on first use, so a route with a dead-letter producer starts even while Redis is away
    private final ReconnectingConnection connection;

    public RedisStreamsProducer(RedisStreamsEndpoint endpoint) {
        super(endpoint);
        this.config = endpoint.getConfiguration();
        this.fieldHeaders = config.getFieldHeaders() == null ? List.of()
                : Arrays.stream(config.getFieldHeaders().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.connection = new ReconnectingConnection(() -> endpoint.client().connect(), REPLY_TIMEOUT);
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String stream = targetStream(exchange);
        XAddArgs args = new XAddArgs();
        if (config.getMaxLen() > 0) {
            args.maxlen(config.getMaxLen()).approximateTrimming();
        }
        try {
            if (in.getBody() instanceof List<?> entries && !entries.isEmpty() && entries.stream().allMatch(Map.class::isInstance)) {
                in.setHeader(RedisStreamsConstants.ENTRY_ID, appendAll(stream, args, entries, exchange));
            } else {
                in.setHeader(RedisStreamsConstants.ENTRY_ID, connection.commands().xadd(stream, args, fields(exchange, in.getBody())));
            }
        } catch (RuntimeException e) {
            // after a failover the next exchange must reach the new primary
            connection.onError(e);
            throw e;
        }
    }

    /** Sends every XADD before waiting for any reply; returns the new entry ids in list order. */
    private List<String> appendAll(String stream, XAddArgs args, List<?> entries, Exchange exchange) throws Exception {
        // every entry converted before any is sent: one that cannot be must not leave the others half appended
        List<Map<String, String>> converted = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            converted.add(fields(exchange, entry));
        }
        List<RedisFuture<String>> replies = new ArrayList<>(entries.size());
        for (Map<String, String> fields : converted) {
            replies.add(connection.async().xadd(stream, args, fields));
        }
        // throws the first command's failure as it is; false only on timeout
        if (!LettuceFutures.awaitAll(REPLY_TIMEOUT, replies.toArray(new RedisFuture[0]))) {
            throw new RedisCommandTimeoutException("No reply to " + replies.size() + " XADD to " + stream + " within " + REPLY_TIMEOUT);
        }
        List<String> ids = new ArrayList<>(replies.size());
        for (RedisFuture<String> reply : replies) {
            ids.add(reply.get());
        }
        return ids;
    }

    /** The override header, used once (as camel-kafka's OVERRIDE_TOPIC), else the endpoint's first stream. */
    private String targetStream(Exchange exchange) {
        Object header = exchange.getIn().removeHeader(RedisStreamsConstants.OVERRIDE_STREAM);
        String override = header == null ? null : header.toString();
        return override != null && !override.isBlank() ? override : getEndpoint().streamKeys().get(0);
    }

    private Map<String, String> fields(Exchange exchange, Object body) throws Exception {
        Message in = exchange.getIn();
        Map<String, String> fields = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                put(exchange, fields, String.valueOf(e.getKey()), e.getValue());
            }
        } else if (fieldHeaders.isEmpty()) {
            throw new InvalidPayloadException(exchange, Map.class);
        }
        for (String header : fieldHeaders) {
            put(exchange, fields, header, in.getHeader(header));
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("Nothing to append to the stream: no fields in body or fieldHeaders");
        }
        return fields;
    }

    private static void put(Exchange exchange, Map<String, String> fields, String name, Object value)
            throws NoTypeConversionAvailableException {
        if (value == null) {
            // a stream field cannot be null; leaving it out is what a reader would see anyway
            return;
        }
        // a map or list becomes JSON where a converter does that (camel-jackson's, when enabled)
        fields.put(name, value instanceof String text ? text
                : exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, value));
    }

    @Override
    protected void doStop() throws Exception {
        connection.close();
        super.doStop();
    }
}
