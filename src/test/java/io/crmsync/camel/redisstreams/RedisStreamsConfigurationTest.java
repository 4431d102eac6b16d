package io.crmsync.camel.redisstreams;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisStreamsConfigurationTest {

    private CamelContext context;
    private RedisStreamsComponent component;

    @BeforeEach
    void setUp() {
        context = new DefaultCamelContext();
        component = new RedisStreamsComponent();
        context.addComponent("redis-streams", component);
    }

    @AfterEach
    void tearDown() throws Exception {
        context.close();
    }

    @Test
    void defaultsMatchTheDocumentation() {
        RedisStreamsConfiguration c = new RedisStreamsConfiguration();
        assertThat(c.getRedisUrl()).isEqualTo("redis://localhost:6379");
        assertThat(c.getCluster()).isEqualTo("auto");
        assertThat(c.getGroup()).isEqualTo("crm-consumers");
        assertThat(c.getStartId()).isEqualTo("0");
        assertThat(c.getBatchSize()).isEqualTo(100);
        assertThat(c.getBlockTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.getConsumersCount()).isEqualTo(1);
        assertThat(c.getMaxInFlight()).isEqualTo(1000);
        assertThat(c.getMinIdleTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.getReclaimInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getMaxDeliveries()).isEqualTo(5);
        assertThat(c.getAckBatchSize()).isEqualTo(100);
        assertThat(c.getAckInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getReconnectBackoffMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.getReconnectBackoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getMetricsInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.getMaxLen()).isZero();
        assertThat(c.getConsumerName()).isNotBlank();
    }

    @Test
    void uriOptionsApplyToTheEndpointCopyOnly() {
        component.getConfiguration().setGroup("component-group");
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:crm:sync:user:user_created,crm:sync:user:user_deleted"
                + "?group=g&blockTime=500ms&minIdleTime=PT2S&batchSize=7&consumerName=pod-1&maxDeliveries=3",
                RedisStreamsEndpoint.class);

        RedisStreamsConfiguration c = endpoint.getConfiguration();
        assertThat(endpoint.streamKeys()).containsExactly("crm:sync:user:user_created", "crm:sync:user:user_deleted");
        assertThat(c.getGroup()).isEqualTo("g");
        assertThat(c.getBlockTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.getMinIdleTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.getBatchSize()).isEqualTo(7);
        assertThat(c.getConsumerName()).isEqualTo("pod-1");
        assertThat(c.getMaxDeliveries()).isEqualTo(3);
        assertThat(component.getConfiguration().getGroup()).isEqualTo("component-group");
        assertThat(component.getConfiguration().getBatchSize()).isEqualTo(100);
    }

    @Test
    void componentDefaultsReachEndpoints() {
        component.setRedisUrl("redis://redis.local:6380");
        component.getConfiguration().setMaxInFlight(42);

        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s", RedisStreamsEndpoint.class);

        assertThat(endpoint.getConfiguration().getRedisUrl()).isEqualTo("redis://redis.local:6380");
        assertThat(endpoint.getConfiguration().getMaxInFlight()).isEqualTo(42);
    }

    @Test
    void anUnknownOptionIsRejected() {
        assertThatThrownBy(() -> context.getEndpoint("redis-streams:s?noSuchOption=1"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }

    @Test
    void aPasswordInTheUriIsMaskedInTheEndpointUri() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s?redisUrl=redis://u:s3cret@h:6379",
                RedisStreamsEndpoint.class);

        assertThat(endpoint.getEndpointUri()).doesNotContain("s3cret");
        assertThat(endpoint.getConfiguration().getRedisUrl()).isEqualTo("redis://u:s3cret@h:6379");
    }

    @Test
    void copyIsIndependent() {
        RedisStreamsConfiguration original = new RedisStreamsConfiguration();
        RedisStreamsConfiguration copy = original.copy();
        copy.setGroup("other");
        assertThat(original.getGroup()).isEqualTo("crm-consumers");
    }
}
