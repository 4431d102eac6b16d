package io.crmsync.embedded;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;

/**
 * A real database of mongo-java-server, seen through the driver's own interfaces, that answers chosen calls as a real
 * MongoDB 6-8 would where the stand-in never does: with the exception the driver builds from the server's reply
 * (a {@code createIndexes} refused with 85, 86 or 13, a bulk write refused as a whole with 15, a write concern that
 * timed out). Every other call, and every call a rule lets through, goes to the stand-in unchanged: nothing of the
 * driver is mocked.
 */
public final class RefusingMongo {

    /** One call to a collection: its (real) name, the method, and its arguments. */
    public record Call(String collection, String method, List<Object> args) {

        /** Whether an argument, as text, contains {@code text}: a write model's filter or document naming an id. */
        public boolean mentions(String text) {
            return args.stream().anyMatch(arg -> String.valueOf(arg).contains(text));
        }
    }

    /** What a rule does with a call it matches. */
    public enum When {
        /** Throw instead of calling the stand-in: MongoDB refused the command, nothing was applied. */
        INSTEAD,
        /** Call the stand-in, then throw: MongoDB applied the write, but its write concern failed. */
        AFTER
    }

    private record Rule(Predicate<Call> matches, When when, java.util.function.Function<Object, RuntimeException> failure) {
    }

    private static final ServerAddress ADDRESS = new ServerAddress("127.0.0.1", 27017);

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean mongod;

    /** Refuses matching calls with {@code failure}, without applying them. */
    public RefusingMongo refuse(Predicate<Call> matches, RuntimeException failure) {
        rules.add(new Rule(matches, When.INSTEAD, result -> failure));
        return this;
    }

    /** Applies matching bulk writes, then throws what a server whose write concern failed answers. */
    public RefusingMongo unacknowledged(Predicate<Call> matches) {
        rules.add(new Rule(matches, When.AFTER, result -> writeConcernFailed((BulkWriteResult) result)));
        return this;
    }

    /**
     * Applies the other models of matching bulk writes, then throws what MongoDB answers when it refused the models
     * {@code refused} selects one by one (a validator's 121, a document grown past 16 MiB's 17419): a
     * {@code writeErrors} entry for each, at its index in the bulk.
     */
    public RefusingMongo refuseItems(Predicate<Call> matches, Predicate<Object> refused, int code, String message) {
        itemRules.add(new ItemRule(matches, refused, code, message));
        return this;
    }

    private record ItemRule(Predicate<Call> matches, Predicate<Object> refused, int code, String message) {
    }

    private final List<ItemRule> itemRules = new CopyOnWriteArrayList<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object bulkWithItemErrors(MongoCollection collection, ItemRule rule, List<?> models) {
        List<Object> kept = new java.util.ArrayList<>();
        List<com.mongodb.bulk.BulkWriteError> errors = new java.util.ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (rule.refused().test(models.get(i))) {
                errors.add(new com.mongodb.bulk.BulkWriteError(rule.code(), rule.message(), new BsonDocument(), i));
            } else {
                kept.add(models.get(i));
            }
        }
        BulkWriteResult applied = kept.isEmpty() ? BulkWriteResult.acknowledged(0, 0, 0, 0, List.of(), List.of())
                : collection.bulkWrite((List) kept, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        if (errors.isEmpty()) {
            return applied;
        }
        // the upserts' indexes are the kept models'; none of those the tests use is an update of an existing document
        throw new MongoBulkWriteException(BulkWriteResult.acknowledged(applied.getInsertedCount(), applied.getMatchedCount(),
                applied.getDeletedCount(), applied.getModifiedCount(), List.of(), List.of()), errors, null, ADDRESS, Set.of());
    }

    public void clear() {
        itemRules.clear();
        rules.clear();
    }

    /** buildInfo names a git commit, as mongod's does, so crm-sync makes the indexes it makes on a real server. */
    public RefusingMongo asMongod() {
        mongod = true;
        return this;
    }

    /** Every collection call so far. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public MongoDatabase wrap(MongoDatabase database) {
        return proxy(MongoDatabase.class, database, (self, method, args) -> {
            if (mongod && method.getName().equals("runCommand") && args.length > 0 && args[0] instanceof Document command
                    && command.containsKey("buildInfo")) {
                return new Document("version", "7.0.14").append("gitVersion", "ce59cfc6a3c5e5c067dca0d30697edd68d4f5188")
                        .append("ok", 1.0);
            }
            Object result = invoke(method, database, args);
            if (result instanceof MongoDatabase other) {
                return wrap(other);
            }
            if (result instanceof MongoCollection<?> collection) {
                return wrap(collection);
            }
            return result;
        });
    }

    @SuppressWarnings("unchecked")
    private <T> MongoCollection<T> wrap(MongoCollection<T> collection) {
        return proxy(MongoCollection.class, collection, (self, method, args) -> {
            Call call = new Call(collection.getNamespace().getCollectionName(), method.getName(),
                    args == null ? List.of() : Arrays.asList(args));
            calls.add(call);
            ItemRule items = itemRules.stream().filter(r -> method.getName().equals("bulkWrite") && r.matches().test(call))
                    .findFirst().orElse(null);
            if (items != null) {
                return bulkWithItemErrors(collection, items, (List<?>) args[0]);
            }
            Rule rule = rules.stream().filter(r -> r.matches().test(call)).findFirst().orElse(null);
            if (rule != null && rule.when() == When.INSTEAD) {
                throw rule.failure().apply(null);
            }
            Object result = invoke(method, collection, args);
            if (rule != null) {
                throw rule.failure().apply(result);
            }
            return result instanceof MongoCollection<?> other ? wrap(other) : result;
        });
    }

    /** What the driver throws when the server answers a command with {@code ok: 0}. */
    public static MongoCommandException commandFailed(int code, String codeName, String message) {
        return new MongoCommandException(new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName)), ADDRESS);
    }

    /** What the driver throws when the primary applied a bulk write but the majority did not acknowledge it in time. */
    public static MongoBulkWriteException writeConcernFailed(BulkWriteResult applied) {
        return new MongoBulkWriteException(applied, List.of(), new WriteConcernError(64, "WriteConcernFailed",
                "waiting for replication timed out", new BsonDocument("wtimeout", BsonBoolean.TRUE)), ADDRESS, Set.of());
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RefusingMongo.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
