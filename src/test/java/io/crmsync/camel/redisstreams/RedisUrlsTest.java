package io.crmsync.camel.redisstreams;

import io.crmsync.camel.redisstreams.client.RedisUrls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUrlsTest {

    @Test
    void userAndPasswordAreMaskedButTheUserStays() {
        assertThat(RedisUrls.masked("redis://crm:s3cret@redis.local:6379/0")).isEqualTo("redis://crm:***@redis.local:6379/0");
    }

    @Test
    void passwordWithoutUserIsMasked() {
        assertThat(RedisUrls.masked("rediss://s3cret@redis.local:6380")).isEqualTo("rediss://***@redis.local:6380");
        assertThat(RedisUrls.masked("redis://:s3cret@redis.local")).isEqualTo("redis://:***@redis.local");
    }

    @Test
    void everySeedOfAClusterListIsMasked() {
        assertThat(RedisUrls.masked("redis://u:a@h1:7000,redis://u:b@h2:7001")).isEqualTo("redis://u:***@h1:7000,redis://u:***@h2:7001");
    }

    @Test
    void aUrlInsideAnEndpointUriIsMasked() {
        assertThat(RedisUrls.masked("redis-streams://s1?redisUrl=redis://u:p@h:1&group=g"))
                .isEqualTo("redis-streams://s1?redisUrl=redis://u:***@h:1&group=g");
    }

    @Test
    void passwordQueryParameterIsMasked() {
        assertThat(RedisUrls.masked("redis-sentinel://h:26379?password=s3cret#primary")).doesNotContain("s3cret");
    }

    @Test
    void urlsWithoutCredentialsAreUnchanged() {
        assertThat(RedisUrls.masked("redis://localhost:6379")).isEqualTo("redis://localhost:6379");
    }

    @Test
    void sentinelUrlsKeepTheirCommasAndClusterSeedsAreSplit() {
        assertThat(RedisUrls.split("redis-sentinel://h1:26379,h2:26379/0#primary")).hasSize(1);
        assertThat(RedisUrls.split("redis://h1:7000, redis://h2:7001")).containsExactly("redis://h1:7000", "redis://h2:7001");
    }

    @Test
    void passwordHoldingAnAtSignIsMaskedWhole() {
        assertThat(RedisUrls.masked("redis://crm:p@ss@word@redis.local:6379")).isEqualTo("redis://crm:***@redis.local:6379");
    }

    @Test
    void unparsableUrlIsRefusedWithoutItsPassword() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.crmsync.camel.redisstreams.client.RedisStreamsClient
                        .create("redis://crm:s3{cr}et@redis.local:6379", "false", java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://crm:***@redis.local:6379")
                .hasMessageNotContaining("s3{cr}et")
                .hasNoCause();
    }
}
