package io.crmsync.camel.redisstreams;

import org.apache.camel.spi.Metadata;

/**
 * Header names set by the redis-streams consumer and read by its producer.
 */
public final class RedisStreamsConstants {

    @Metadata(label = "consumer", description = "The stream key the entry was read from.", javaType = "String")
    public static final String STREAM = "CamelRedisStreamsStream";
    @Metadata(label = "producer", description = "The stream to append to instead of the endpoint's; removed once used, so it "
            + "does not follow the exchange to a later endpoint.", javaType = "String")
    public static final String OVERRIDE_STREAM = "CamelRedisStreamsOverrideStream";
    @Metadata(label = "consumer,producer", description = "The entry id (consumer), or the id XADD assigned (producer).", javaType = "String")
    public static final String ENTRY_ID = "CamelRedisStreamsEntryId";
    @Metadata(label = "consumer", description = "The consumer group the entry was read through.", javaType = "String")
    public static final String GROUP = "CamelRedisStreamsGroup";
    @Metadata(label = "consumer", description = "The consumer name within the group.", javaType = "String")
    public static final String CONSUMER = "CamelRedisStreamsConsumer";
    @Metadata(label = "consumer", description = "How many times the entry has been delivered, this delivery included.", javaType = "long")
    public static final String DELIVERY_COUNT = "CamelRedisStreamsDeliveryCount";

    private RedisStreamsConstants() {
    }
}
