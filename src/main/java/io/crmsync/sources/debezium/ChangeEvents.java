package io.crmsync.sources.debezium;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.Provenance;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.Keys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * A Debezium change event into a canonical event (docs/contract.md section 7), whichever source read it: the
 * embedded connector (its headers and the {@code after} struct) or a Kafka topic (the JSON envelope, with or without
 * the {@code schema}/{@code payload} wrapper).
 * <ul>
 * <li>type {@code <table>.created|updated|deleted|read} (c, u, d, r), so routes content-route on the table and op;</li>
 * <li>data: {@code after}, or for a delete {@code before} (the table needs REPLICA IDENTITY FULL for its tenant);</li>
 * <li>time: {@code source.ts_ms}, the commit time;</li>
 * <li>identity: the source position, {@code <schema>.<table>/<lsn>/<row key>}, the same from either source, so a
 * redelivery is the same event and two changes of a row in one transaction are ordered by LSN.</li>
 * </ul>
 * Dead letters keep the envelope as {@code payload} and the row's key as {@code key}, and name the topic or
 * {@code debezium:<slot>} as their source and the position as their id, so a replay ({@link #REPLAY}) makes the very
 * same event again: same identity, same time, same position.
 */
public class ChangeEvents implements Processor {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Map<String, String> OPERATIONS = Map.of("c", "created", "u", "updated", "d", "deleted",
            "r", "read");

    /**
     * Header naming the source ({@code debezium:<slot>} or a topic) of a dead letter sent back through the CDC routes;
     * the body is then the dead letter's original fields, the exchange's {@link Provenance} its source and position.
     */
    public static final String REPLAY = "CrmCdcReplayOf";
    /** How the embedded connector's changes name their source: {@code debezium:<slot>}; a topic's are the topic. */
    public static final String SLOT_SOURCE = "debezium:";

    private final ObjectMapper json;
    private final String tenantColumn;
    private final String slot;

    public ChangeEvents(ObjectMapper json, String tenantColumn, String slot) {
        this.json = json;
        this.tenantColumn = tenantColumn;
        this.slot = slot;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // a record of a Kafka batch, split from the batch's list of exchanges
        Message message = exchange.getMessage().getBody() instanceof Exchange record ? record.getMessage()
                : exchange.getMessage();
        exchange.setProperty(EventExchange.SOURCE_KIND, "cdc");
        String topic = message.getHeader("kafka.TOPIC", String.class);
        Map<String, Object> envelope;
        Map<String, Object> key;
        String source;
        String position;
        String replayed = message.getHeader(REPLAY, String.class);
        if (replayed != null) {
            Provenance sent = Provenance.of(exchange);
            CanonicalEvent event = replayed(message.getBody(Map.class), replayed, sent == null ? null : sent.position());
            new Provenance(replayed, event.position()).attachTo(exchange);
            EventExchange.attach(exchange, event);
            return;
        }
        if (topic != null && message.getBody() == null) {
            // the tombstone Kafka Connect writes after a delete (tombstones.on.delete), for log compaction: the delete
            // itself came just before it
            exchange.setRouteStop(true);
            return;
        }
        if (topic != null) {
            source = topic;
            position = message.getHeader("kafka.PARTITION", String.class) + ":" + message.getHeader("kafka.OFFSET", String.class);
            new Provenance(source, position).attachTo(exchange);
            // kept for the dead letter, should the envelope not parse
            exchange.setProperty(EventExchange.RAW_FIELDS, Map.of("payload", String.valueOf(message.getBody(String.class))));
            envelope = unwrap(parse(message.getBody(String.class), "the change event"));
            Object sentKey = message.getHeader("kafka.KEY");
            key = sentKey == null ? Map.of() : unwrap(parse(sentKey.toString(), "the change event's key"));
        } else {
            envelope = new LinkedHashMap<>();
            envelope.put("op", message.getHeader("CamelDebeziumOperation", String.class));
            envelope.put("before", message.getHeader("CamelDebeziumBefore", Map.class));
            envelope.put("after", message.getBody(Map.class));
            envelope.put("source", message.getHeader("CamelDebeziumSourceMetadata", Map.class));
            envelope.put("ts_ms", message.getHeader("CamelDebeziumTimestamp", Long.class));
            key = message.getHeader("CamelDebeziumKey", Map.class);
            source = SLOT_SOURCE + slot;
            position = String.valueOf(((Map<?, ?>) envelope.getOrDefault("source", Map.of())).get("lsn"));
            // the LSN, should the change not parse; its row's position once it does
            new Provenance(source, position).attachTo(exchange);
        }
        CanonicalEvent event = toEvent(envelope, key == null ? Map.of() : key, source, topic != null ? position : null);
        Provenance.of(exchange).at(event.position()).attachTo(exchange);
        EventExchange.attach(exchange, event);
    }

    /**
     * The event a change's dead letter makes again when it is replayed ({@link #REPLAY}): the same identity, time and
     * position as when it was first read. The ops tools call it before they send a replay, so a dead letter no replay
     * can turn into an event is refused with what is wrong, instead of being dead-lettered again.
     *
     * @param fields   the dead letter's original fields: the envelope as {@code payload}, the row's key as {@code key}
     * @param source   {@code debezium:<slot>} or the topic
     * @param position the dead letter's source position: a topic's {@code partition:offset}; the embedded connector's
     *                 is made from the envelope again, as it was
     * @throws EventRejectedException when the payload or key is not JSON, is not a change event, has no row, or a row
     *                                other than a delete's names no tenant
     */
    public CanonicalEvent replayed(Map<?, ?> fields, String source, String position) {
        Object payload = fields == null ? null : fields.get("payload");
        Object sentKey = fields == null ? null : fields.get("key");
        return toEvent(unwrap(parse(payload == null ? null : payload.toString(), "the change event")),
                sentKey == null ? Map.of() : unwrap(parse(sentKey.toString(), "the change event's key")), source,
                source.startsWith(SLOT_SOURCE) ? null : position);
    }

    /**
     * @param position the Kafka record's {@code partition:offset}; null for the embedded connector, whose position is
     *                 {@code <lsn>/<table>/<row key>} (a snapshot reads every row at one LSN)
     */
    CanonicalEvent toEvent(Map<String, Object> envelope, Map<String, Object> key, String source, String position) {
        String payload = write(envelope);
        Map<String, String> fields = key.isEmpty() ? Map.of("payload", payload) : Map.of("payload", payload, "key", write(key));
        String op = String.valueOf(envelope.get("op"));
        String operation = OPERATIONS.get(op);
        Map<?, ?> meta = envelope.get("source") instanceof Map<?, ?> m ? m : Map.of();
        if (operation == null || meta.get("table") == null) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "not a Debezium change event (op " + op
                    + ", source.table " + meta.get("table") + ") from " + source + " at " + position);
        }
        String table = meta.get("table").toString();
        String where = position != null ? position : "LSN " + meta.get("lsn");
        Object row = "d".equals(op) ? envelope.get("before") : envelope.get("after");
        if (!(row instanceof Map<?, ?> values)) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "change event of " + table + " at " + where
                    + " has no " + ("d".equals(op) ? "before" : "after"));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        values.forEach((column, value) -> data.put(String.valueOf(column), value));
        Object tenant = data.get(tenantColumn);
        boolean tenantUnknown = tenant == null || tenant.toString().isBlank();
        if (tenantUnknown && "d".equals(op)) {
            // without REPLICA IDENTITY FULL the before image holds the key alone; its other columns are unknown, not null
            data.values().removeIf(java.util.Objects::isNull);
        }
        if (tenantUnknown && !"d".equals(op)) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, "change event of " + table + " at " + where
                    + " has no " + tenantColumn);
        }
        // a delete of a table without REPLICA IDENTITY FULL carries only the key: the store takes the tenant from the
        // record it holds under that key, unique in its table (StoreProducer.fenced), or dead-letters it
        String rowKey = rowKey(key, data);
        Object committed = meta.get("ts_ms") != null ? meta.get("ts_ms") : envelope.get("ts_ms");
        Instant time = committed == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(committed.toString()));
        String id = meta.get("schema") + "." + table + "/" + meta.get("lsn") + "/" + rowKey;
        String at = position != null ? position : meta.get("lsn") + "/" + table + "/" + rowKey;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("op", op);
        metadata.put("lsn", meta.get("lsn"));
        metadata.put("txId", meta.get("txId"));
        metadata.put("schema", meta.get("schema"));
        metadata.put("table", table);
        return new CanonicalEvent(id, table + "." + operation, tenantUnknown ? null : tenant.toString(), table, rowKey, time,
                data, metadata, source, at, fields);
    }

    /** The primary key's values, as the change event's key gives them; else the row's {@code id}. */
    private static String rowKey(Map<String, Object> key, Map<String, Object> data) {
        List<String> parts = new ArrayList<>();
        key.values().forEach(value -> parts.add(String.valueOf(value)));
        if (parts.isEmpty() && data.get("id") != null) {
            parts.add(data.get("id").toString());
        }
        return parts.size() == 1 ? parts.get(0) : Keys.join(parts.toArray(String[]::new));
    }

    /** A JSON envelope without its schema: Kafka Connect's JsonConverter with schemas enabled wraps it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> unwrap(Map<String, Object> message) {
        return message.containsKey("payload") && message.containsKey("schema") && message.get("payload") instanceof Map
                ? (Map<String, Object>) message.get("payload") : message;
    }

    private Map<String, Object> parse(String text, String what) {
        if (text == null) {
            throw new EventRejectedException(RejectReason.MISSING_FIELD, what + " is empty");
        }
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new EventRejectedException(RejectReason.INVALID_JSON, what + " is not a JSON object: "
                    + e.getOriginalMessage());
        }
    }

    private String write(Map<?, ?> envelope) {
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
