package io.crmsync.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * XADDs the generator's events with Lettuce's async API: a backlog pipelined in batches (autoflush off, one flush
 * per batch), or a steady stream at a fixed rate that notes the wall-clock time each XADD was sent.
 */
final class Publisher {

    private static final int BATCH = 2_000;

    private Publisher() {
    }

    /**
     * Publishes {@code count} events as fast as Redis takes them.
     *
     * @param origins if not null, receives {@code <stream>/<entry id>} of every entry
     * @return seconds taken
     */
    static double backlog(RedisClient client, EventGenerator generator, long count, List<String> origins) {
        return backlog(client, new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return generator.hasNext();
            }

            @Override
            public EventGenerator.Event next() {
                return generator.next();
            }
        }, count, origins);
    }

    /** Publishes {@code count} events of {@code events} (the soak's own entries), as above. */
    static double backlog(RedisClient client, java.util.Iterator<EventGenerator.Event> generator, long count,
                          List<String> origins) {
        long start = System.nanoTime();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> async = connection.async();
            List<RedisFuture<String>> futures = new ArrayList<>(BATCH);
            List<String> streams = new ArrayList<>(BATCH);
            long sent = 0;
            while (sent < count && generator.hasNext()) {
                EventGenerator.Event event = generator.next();
                futures.add(async.xadd(event.stream(), event.fields()));
                streams.add(event.stream());
                sent++;
                if (futures.size() == BATCH || sent == count || !generator.hasNext()) {
                    connection.flushCommands();
                    if (!LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(new RedisFuture[0]))) {
                        throw new IllegalStateException("XADD batch did not complete");
                    }
                    if (origins != null) {
                        for (int i = 0; i < futures.size(); i++) {
                            origins.add(streams.get(i) + "/" + futures.get(i).toCompletableFuture().getNow(null));
                        }
                    }
                    futures.clear();
                    streams.clear();
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Publishes at {@code rate} events per second for {@code seconds}, pacing by the clock every millisecond or so.
     *
     * @return origin ({@code <stream>/<entry id>}) -> epoch microseconds when its XADD was sent
     */
    static Map<String, Long> paced(RedisClient client, EventGenerator generator, int rate, double seconds) {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<RedisFuture<String>> futures = new ArrayList<>();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            long total = Math.round(rate * seconds);
            long start = System.nanoTime();
            long sent = 0;
            while (sent < total && generator.hasNext()) {
                long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
                while (sent < due && generator.hasNext()) {
                    EventGenerator.Event event = generator.next();
                    long micros = epochMicros();
                    RedisFuture<String> future = async.xadd(event.stream(), event.fields());
                    future.thenAccept(id -> sentAt.put(event.stream() + "/" + id, micros));
                    futures.add(future);
                    sent++;
                }
                long nextDue = start + (long) (sent * 1e9 / rate);
                long wait = nextDue - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(5)));
                }
            }
            LettuceFutures.awaitAll(Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]));
        }
        return sentAt;
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
