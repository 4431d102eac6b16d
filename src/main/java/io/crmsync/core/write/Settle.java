package io.crmsync.core.write;

import java.util.function.Consumer;

/**
 * Where a batched writer reports what became of one item: a value, or the failure its caller's error handler sees.
 */
public interface Settle<T> {

    void complete(T value);

    void fail(Throwable failure);

    static <T> Settle<T> of(Consumer<T> onComplete, Consumer<Throwable> onFail) {
        return new Settle<>() {
            @Override
            public void complete(T value) {
                onComplete.accept(value);
            }

            @Override
            public void fail(Throwable failure) {
                onFail.accept(failure);
            }
        };
    }
}
