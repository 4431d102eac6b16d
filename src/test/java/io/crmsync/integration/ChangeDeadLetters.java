package io.crmsync.integration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead letters of purchase_ledger changes written straight to {@code crm:dlq}, as the CDC routes write them: the
 * envelope as {@code payload}, the row's key as {@code key}, the slot or topic as source and the position as id.
 */
final class ChangeDeadLetters {

    static final String TOPIC = "crm.public.purchase_ledger";
    /** The commit time every change here carries: a replay must land with it, not with the replay's time. */
    static final long COMMITTED_MS = 1764496800000L;
    private static final AtomicLong LSN = new AtomicLong(700_000_000L);
    private static final AtomicLong OFFSET = new AtomicLong(System.currentTimeMillis());

    private ChangeDeadLetters() {
    }

    /** A change of one purchase row; a null tenant leaves the tenant column out of the row (a delete's key only). */
    static String purchase(String op, String id, String tenant, long lsn) {
        String row = "{\"id\":\"" + id + "\"" + (tenant == null ? "" : ",\"tenant_id\":\"" + tenant
                + "\",\"status\":\"paid\",\"final_amount\":\"5.00\",\"created_at\":\"2026-11-30T10:00:00Z\"") + "}";
        return "{\"before\":" + ("d".equals(op) ? row : "null") + ",\"after\":" + ("d".equals(op) ? "null" : row)
                + ",\"source\":{\"schema\":\"public\",\"table\":\"purchase_ledger\",\"lsn\":" + lsn + ",\"txId\":7,"
                + "\"ts_ms\":" + COMMITTED_MS + "},\"op\":\"" + op + "\",\"ts_ms\":" + COMMITTED_MS + "}";
    }

    static String key(String id) {
        return "{\"id\":\"" + id + "\"}";
    }

    static long lsn() {
        return LSN.incrementAndGet();
    }

    /** A topic's record position no real record of the test broker has. */
    static String position() {
        return "1:" + OFFSET.incrementAndGet();
    }

    /**
     * Writes a dead letter of a topic's change, without {@code dlq.sourceKind} (as dead letters written before it
     * was added are), failed at the given time so a filter can select exactly a test's entries.
     *
     * @return the dead letter's id
     */
    static String write(String reason, String position, Instant failedAt, String payload, String key, String... more) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("payload", payload);
        if (key != null) {
            fields.put("key", key);
        }
        fields.put("dlq.sourceStream", TOPIC);
        fields.put("dlq.sourceId", position);
        fields.put("dlq.reason", reason);
        fields.put("dlq.error", "as the test wrote it");
        fields.put("dlq.failedAt", failedAt.toString());
        for (int i = 0; i < more.length; i += 2) {
            fields.put(more[i], more[i + 1]);
        }
        return SyncITSupport.publish("crm:dlq", fields);
    }
}
