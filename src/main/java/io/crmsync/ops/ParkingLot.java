package io.crmsync.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parking lot: dead letters whose cause can heal ({@code agent-not-found}, {@code organization-not-found}) are
 * put back on their stream every round, until the window has passed since the event was first dead-lettered; then they
 * wait for an operator. The window counts from that first failure, carried across re-drives in the dead letter's
 * {@code dlq.firstFailedAt}, never from the event's own time: an event replayed from a backlog or published after an
 * outage is old, and is exactly the one that needs the window. A replay keeps the event's identity and time, so a
 * re-drive that finds the record applies the event as it would have, and one that does not dead-letters it again. A
 * change's dead letter is re-driven through the CDC routes, carrying its first failure the same way. One instance re-drives at a time (a short Redis lock), so
 * replicas do not replay the same entry twice.
 */
public class ParkingLot {

    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);
    static final String LOCK = "crm:parking-lot:lock";
    private static final int SCAN_LIMIT = 10_000;

    private final DeadLetterTool deadLetters;
    private final OpsRedis redis;
    private final ParkingLotProperties properties;
    private final MeterRegistry meters;
    private final String owner;
    private final Clock clock;
    private final Map<String, AtomicLong> expired = new ConcurrentHashMap<>();

    ParkingLot(DeadLetterTool deadLetters, OpsRedis redis, ParkingLotProperties properties,
            MeterRegistry meters, String owner, Clock clock) {
        this.deadLetters = deadLetters;
        this.redis = redis;
        this.properties = properties;
        this.meters = meters;
        this.owner = owner;
        this.clock = clock;
        properties.reasons().forEach(reason -> Gauge.builder("crm.sync.parking.lot.expired", expiredOf(reason), AtomicLong::get)
                .description("Healable dead letters whose re-drive window, counted from their first failure, has passed: "
                        + "they wait for an operator")
                .tag("reason", reason).register(meters));
    }

    /** One round: called by the parking-lot route's timer. Returns how many entries were re-driven. */
    public int redrive() {
        // one round at a time across instances; the expiry frees it if this instance dies mid-round
        String locked = redis.strings().set(LOCK, owner, SetArgs.Builder.nx().px(properties.interval().toMillis()));
        if (!"OK".equals(locked)) {
            return 0;
        }
        try {
            return round();
        } finally {
            if (owner.equals(redis.strings().get(LOCK))) {
                redis.keys().del(LOCK);
            }
        }
    }

    private int round() {
        int redriven = 0;
        Instant horizon = clock.instant().minus(properties.window());
        for (String reason : properties.reasons()) {
            List<DeadLetterEntry> due = new ArrayList<>();
            long past = 0;
            // oldest first, so past the expired ones to the due ones: at most maxPerRound of those each round
            for (DeadLetterEntry entry : deadLetters.list(new DeadLetterFilter(reason, null, null, null, SCAN_LIMIT))) {
                if (Instant.parse(entry.firstFailedAt()).isAfter(horizon)) {
                    if (due.size() < properties.maxPerRound()) {
                        due.add(entry);
                    }
                } else {
                    past++;
                }
            }
            expiredOf(reason).set(past);
            if (!due.isEmpty()) {
                DeadLetterTool.ReplayResult result = deadLetters.redrive(due, "parking-lot");
                meters.counter("crm.sync.parking.lot.redrives", "reason", reason).increment(result.replayed());
                redriven += result.replayed();
                LOG.info("Parking lot re-drove {} dead letter(s) {} to their streams; {} failed first over {} ago and wait "
                        + "for an operator", result.replayed(), reason, past, properties.window());
            }
        }
        return redriven;
    }

    private AtomicLong expiredOf(String reason) {
        return expired.computeIfAbsent(reason, r -> new AtomicLong());
    }

    Duration interval() {
        return properties.interval();
    }
}
