package io.crmsync.persistence;

/**
 * Where a batched writer reports what became of one item: a value, or the failure its caller's error handler sees.
 */
public interface Settle<T> {

    void complete(T value);

    void fail(Throwable failure);
}
