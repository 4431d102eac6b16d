package io.crmsync.camel.redisstreams.integration;

import io.crmsync.camel.redisstreams.MaxDeliveriesExceededException;
import io.crmsync.camel.redisstreams.RedisStreamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The dead-letter shape the app uses (contract section 4), reduced to what the component tests need: failures that
 * are permanent, or entries over the delivery cap, go to {@code crm:dlq}; transient failures are rethrown so the
 * entry stays pending and Redis redelivers it.
 */
class DeadLetterRoutes extends RouteBuilder {

    static final String DLQ = "crm:dlq";

    static class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message);
        }
    }

    @Override
    public void configure() {
        from("direct:dead-letter").routeId("dead-letter")
                .process(e -> {
                    Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    if (cause instanceof TransientFailure transientFailure) {
                        // not ours to dead-letter: fail the exchange so the entry stays pending
                        throw transientFailure;
                    }
                    String reason = cause instanceof MaxDeliveriesExceededException m ? m.getReason() : "error";
                    @SuppressWarnings("unchecked")
                    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>(e.getIn().getBody(java.util.Map.class));
                    body.put("dlq.sourceStream", e.getIn().getHeader(RedisStreamsConstants.STREAM));
                    body.put("dlq.sourceId", e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID));
                    body.put("dlq.reason", reason);
                    body.put("dlq.deliveryCount", e.getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT));
                    e.getIn().setBody(body);
                })
                .to("redis-streams:" + DLQ);
    }
}
