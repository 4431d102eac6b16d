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
        assertThat(component.getRedisUrl()).isEqualTo("redis://localhost:6379");
        assertThat(component.getCluster()).isEqualTo("auto");
        assertThat(component.getReconnectBackoffMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(component.getReconnectBackoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getGroup()).as("no default: the application names its group").isNull();
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
        component.getConfiguration().setMaxInFlight(42);

        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s", RedisStreamsEndpoint.class);

        assertThat(endpoint.getConfiguration().getMaxInFlight()).isEqualTo(42);
    }

    @Test
    void howToReachRedisIsAComponentOptionNotAnEndpointOne() {
        assertThatThrownBy(() -> context.getEndpoint("redis-streams:s?redisUrl=redis://other:6379"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("redisUrl");
    }

    @Test
    void anUnknownOptionIsRejected() {
        assertThatThrownBy(() -> context.getEndpoint("redis-streams:s?noSuchOption=1"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }

    @Test
    void theRedisUrlIsASecretOptionForCamelToMask() {
        assertThat(new RedisStreamsEndpointUriFactory().secretPropertyNames()).isEmpty();
        assertThat(org.apache.camel.support.PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer("redis-streams-component", context)).isInstanceOf(RedisStreamsComponentConfigurer.class);
    }

    /** The generated configurers bind every option: Camel's bean introspection (reflection) is never asked. */
    @Test
    void everyDocumentedOptionBindsThroughAUriWithoutReflection() {
        org.apache.camel.support.PluginHelper.getBeanIntrospection(context).resetCounters();

        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:a,b?group=g&consumerName=c&startId=$"
                + "&batchSize=7&blockTime=1s&consumersCount=2&maxInFlight=9&minIdleTime=5s&reclaimInterval=6s"
                + "&maxDeliveries=3&ackBatchSize=1&ackInterval=10ms&shutdownTimeout=2s&deleteConsumerOnStop=false"
                + "&metricsInterval=20s&maxLen=100&fieldHeaders=x,y&bridgeErrorHandler=true&exchangePattern=InOnly"
                + "&lazyStartProducer=true", RedisStreamsEndpoint.class);

        RedisStreamsConfiguration c = endpoint.getConfiguration();
        assertThat(c.getStartId()).isEqualTo("$");
        assertThat(c.getConsumersCount()).isEqualTo(2);
        assertThat(c.getAckInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.isDeleteConsumerOnStop()).isFalse();
        assertThat(c.getMaxLen()).isEqualTo(100);
        assertThat(c.getFieldHeaders()).isEqualTo("x,y");
        assertThat(endpoint.isBridgeErrorHandler()).isTrue();
        assertThat(org.apache.camel.support.PluginHelper.getBeanIntrospection(context).getInvokedCounter()).isZero();
    }

    @Test
    void copyIsIndependent() {
        RedisStreamsConfiguration original = new RedisStreamsConfiguration();
        RedisStreamsConfiguration copy = original.copy();
        copy.setGroup("other");
        assertThat(original.getGroup()).isNull();
    }
}
