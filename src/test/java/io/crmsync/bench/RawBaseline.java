package io.crmsync.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * The raw baseline: what the servers allow with no framework and no guarantee beyond ack-after-write. One thread,
 * round-robin over the streams: XREADGROUP COUNT 1000 on one stream, Jackson parse of the flat, envelope and bare
 * shapes, one unordered {@code bulkWrite} of {@code UpdateOneModel} upserts with {@code $set} per target collection
 * (credit balances with {@code $inc}), then one XACK for the batch. Same collections and document ids as crm-sync;
 * no per-field versions, no tenant check beyond the filter, no enrichment lookup, no processing records and no
 * acknowledgments stream.
 */
class RawBaseline {

    private static final int COUNT = 1_000;
    private static final Set<String> ENVELOPE_KEYS = Set.of("streamId", "timestamp", "sourceApp", "source", "version",
            "eventId", "eventType", "entityType", "entityId", "tenantId", "action", "data", "metadata");
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    final RedisCommands<String, String> redis;
    final MongoDatabase db;
    private final ObjectMapper json = new ObjectMapper();
    final Map<String, String> streamGroups;
    // told the entries processed so far after each batch, on the loop's thread (the benchmark's Halfway)
    LongConsumer progress = done -> { };

    RawBaseline(RedisCommands<String, String> redis, MongoDatabase db, Map<String, String> streamGroups) {
        this.redis = redis;
        this.db = db;
        this.streamGroups = streamGroups;
    }

    /** Drains every stream; returns entries processed. Timed by the caller from the first read. */
    long drain() {
        createGroups();
        long done = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (Map.Entry<String, String> sg : streamGroups.entrySet()) {
                int n = batch(sg.getKey(), sg.getValue());
                done += n;
                progress.accept(done);
                any |= n > 0;
            }
        }
        return done;
    }

    void createGroups() {
        streamGroups.forEach((stream, group) -> {
            try {
                redis.xgroupCreate(StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException e) {
                // exists
            }
        });
    }

    /** Reads, writes and acks one batch of a stream; returns its size (0: the stream is drained). */
    int batch(String stream, String group) {
        List<StreamMessage<String, String>> messages = redis.xreadgroup(Consumer.from(group, "baseline"),
                XReadArgs.Builder.count(COUNT), StreamOffset.lastConsumed(stream));
        if (messages.isEmpty()) {
            return 0;
        }
        write(stream, messages);
        redis.xack(stream, group, messages.stream().map(StreamMessage::getId).toArray(String[]::new));
        return messages.size();
    }

    /** Makes one batch durable; the loop acks it afterwards. */
    void write(String stream, List<StreamMessage<String, String>> messages) {
        Map<String, List<WriteModel<Document>>> writes = new LinkedHashMap<>();
        for (StreamMessage<String, String> m : messages) {
            map(stream, m.getId(), m.getBody(), writes);
        }
        writes.forEach((collection, models) -> db.getCollection(collection).bulkWrite(models, UNORDERED));
    }

    @SuppressWarnings("unchecked")
    private void map(String stream, String entryId, Map<String, String> fields, Map<String, List<WriteModel<Document>>> writes) {
        Map<String, Object> top = new LinkedHashMap<>(fields);
        if (!fields.containsKey("eventType")) {
            for (String wrapper : List.of("event", "payload", "message")) {
                if (fields.containsKey(wrapper)) {
                    top = object(fields.get(wrapper));
                    break;
                }
            }
        }
        Map<String, Object> data;
        if (top.containsKey("data")) {
            data = top.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : object(String.valueOf(top.get("data")));
        } else if (top.containsKey("eventData")) {
            data = object(String.valueOf(top.get("eventData")));
        } else {
            data = new LinkedHashMap<>(top);
            data.keySet().removeAll(ENVELOPE_KEYS);
        }
        String type = stream.equals("crm:sync:role_permissions") ? "role.permissions.updated"
                : String.valueOf(top.get("eventType")).toLowerCase(Locale.ROOT).replace('_', '.');
        if (type.equals("org.created")) {
            type = "organization.created";
        }
        String tenant = String.valueOf(top.getOrDefault("tenantId", data.get("tenantId")));
        Object eventIdValue = top.containsKey("eventId") ? top.get("eventId") : data.get("eventId");
        String eventId = eventIdValue != null ? eventIdValue.toString() : stream + "/" + entryId;
        String entityId = (String) top.get("entityId");
        Document set = new Document("tenantId", tenant);
        data.forEach((k, v) -> {
            if (!k.equals("tenantId") && !k.equals("eventId")) {
                set.append(k, v);
            }
        });
        if (stream.equals(EventGenerator.INTER_APP)) {
            Object target = top.get("targetApplication");
            if (target != null && !target.equals("crm") && !target.equals("*")) {
                return; // not for the CRM
            }
            if (!type.startsWith("credit.") && !type.startsWith("user.")) {
                upsert(writes, "interAppEvents", eventId, tenant, new Document("tenantId", tenant).append("eventType", type)
                        .append("data", new Document(data)));
                return;
            }
        }
        switch (type) {
            case "user.created" -> upsert(writes, "users", entityId != null ? entityId : (String) data.get("userId"), tenant,
                    set.append("isActive", true));
            case "user.deactivated" -> upsert(writes, "users", entityId, tenant, set.append("isActive", false));
            case "user.deleted" -> upsert(writes, "users", entityId, tenant, set.append("deleted", true).append("isActive", false));
            case "role.created", "role.updated", "role.permissions.updated" -> upsert(writes, "roles", (String) data.get("roleId"), tenant, set);
            case "role.deleted" -> upsert(writes, "roles", (String) data.get("roleId"), tenant, set.append("deleted", true));
            case "role.assigned", "role.unassigned" -> upsert(writes, "userRoles", data.get("userId") + ":" + data.get("roleId"), tenant,
                    set.append("active", type.equals("role.assigned")));
            case "organization.created" -> upsert(writes, "organizations", (String) data.get("organizationId"), tenant, set);
            case "credit.allocated", "credit.consumed" -> {
                BigDecimal amount = new BigDecimal(String.valueOf(data.get("amount"))).abs();
                if (type.equals("credit.consumed")) {
                    amount = amount.negate();
                }
                String user = entityId != null ? entityId : (String) data.get("userId");
                upsert(writes, "creditLedger", eventId, tenant, new Document("tenantId", tenant).append("entityId", user)
                        .append("amount", new Decimal128(amount)).append("operationType", type));
                writes.computeIfAbsent("creditBalances", k -> new ArrayList<>()).add(new UpdateOneModel<>(
                        Filters.eq("_id", tenant + ":" + user), new Document("$inc", new Document("balance", new Decimal128(amount)))
                                .append("$set", new Document("tenantId", tenant)), UPSERT));
            }
            case "credit.config.updated" -> upsert(writes, "creditConfigs", tenant + ":" + entityId, tenant, set);
            default -> {
                if (type.startsWith("organization.assignment.")) {
                    if (type.endsWith(".activated") || type.endsWith(".deactivated")) {
                        set.append("isActive", type.endsWith(".activated"));
                    } else if (type.endsWith(".deleted")) {
                        set.append("deleted", true).append("isActive", false);
                    }
                    upsert(writes, "organizationAssignments", (String) data.get("assignmentId"), tenant, set);
                }
            }
        }
    }

    private static void upsert(Map<String, List<WriteModel<Document>>> writes, String collection, String id, String tenant, Document set) {
        // by _id alone: the tenant is written, not checked (mongo-java-server only uses its _id index for such filters)
        writes.computeIfAbsent(collection, k -> new ArrayList<>()).add(new UpdateOneModel<>(
                Filters.eq("_id", id), new Document("$set", set), UPSERT));
    }

    private Map<String, Object> object(String text) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json.readValue(text, LinkedHashMap.class);
            return map;
        } catch (JsonProcessingException e) {
            return new LinkedHashMap<>();
        }
    }
}
