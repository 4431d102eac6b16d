package io.crmsync.stores.mongodb.properties;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import com.mongodb.MongoSocketException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * A real database whose collections fail one chosen bulk write, as a process killed between two steps would: either
 * before MongoDB sees it, or after MongoDB applied it and before the answer arrived. Every step of the writers (ledger
 * insert, fold, mark, pull; a collection's upserts) is one bulk write, so arming the n-th stops a batch after n steps.
 */
final class FaultyDatabase {

    private int countdown = -1;
    private boolean afterApplying;
    private Runnable interleaved;

    /** The next {@code steps} bulk writes succeed, the one after fails. */
    synchronized void failAfter(int steps, boolean afterApplying) {
        this.countdown = steps;
        this.afterApplying = afterApplying;
    }

    /** The next {@code steps} bulk writes succeed; before the one after, {@code other} runs (another instance, say). */
    synchronized void interleaveAfter(int steps, Runnable other) {
        this.countdown = steps;
        this.interleaved = other;
    }

    synchronized void heal() {
        countdown = -1;
        interleaved = null;
    }

    MongoDatabase wrap(MongoDatabase database) {
        return (MongoDatabase) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MongoDatabase.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, database, args);
                    if (result instanceof MongoDatabase other) {
                        return wrap(other); // withReadPreference, withWriteConcern
                    }
                    return result instanceof MongoCollection<?> collection ? wrap(collection) : result;
                });
    }

    private MongoCollection<?> wrap(MongoCollection<?> collection) {
        return (MongoCollection<?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MongoCollection.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("bulkWrite")) {
                        Object result = invoke(method, collection, args);
                        return result instanceof MongoCollection<?> other ? wrap(other) : result;
                    }
                    boolean fail;
                    boolean after;
                    Runnable other;
                    synchronized (this) {
                        fail = countdown == 0;
                        after = afterApplying;
                        other = interleaved;
                        if (countdown >= 0) {
                            countdown--;
                        }
                    }
                    if (fail && other != null) {
                        other.run();
                        return invoke(method, collection, args);
                    }
                    if (fail && !after) {
                        throw crash();
                    }
                    Object result = invoke(method, collection, args);
                    if (fail) {
                        throw crash();
                    }
                    return result;
                });
    }

    private static MongoSocketException crash() {
        return new MongoSocketException("injected: the process stopped here", new ServerAddress());
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
