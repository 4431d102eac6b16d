package io.crmsync.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> new Thread(r, "completion"));

    @AfterEach
    void stop() {
        completions.shutdownNow();
    }

    @Test
    void itemsQueuedDuringAFlushAreWrittenAsTheNextBatch() throws Exception {
        CountDownLatch firstFlushStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstFlush = new CountDownLatch(1);
        List<Integer> batchSizes = new ArrayList<>();
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 100, batch -> {
            batchSizes.add(batch.size());
            firstFlushStarted.countDown();
            releaseFirstFlush.await();
            batch.forEach(job -> job.complete(job.item() * 2));
        }, completions)) {
            CompletableFuture<Integer> first = commits.submit(1).toCompletableFuture();
            firstFlushStarted.await(5, TimeUnit.SECONDS);
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 2; i <= 6; i++) {
                queued.add(commits.submit(i).toCompletableFuture());
            }
            releaseFirstFlush.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(queued.get(4).get(5, TimeUnit.SECONDS)).isEqualTo(12);
            assertThat(batchSizes).containsExactly(1, 5);
        }
    }

    @Test
    void aBatchIsNeverLargerThanItsLimit() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<Integer> batchSizes = new ArrayList<>();
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 3, batch -> {
            hold.await();
            batchSizes.add(batch.size());
            batch.forEach(job -> job.complete(job.item()));
        }, completions)) {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(commits.submit(i).toCompletableFuture());
            }
            hold.countDown();
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
            assertThat(batchSizes).allMatch(size -> size <= 3);
            assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
        }
    }

    @Test
    void aFlushThatThrowsFailsOnlyTheItemsItDidNotSettle() {
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 100, batch -> {
            batch.stream().filter(job -> job.item() == 1).forEach(job -> job.complete(0));
            throw new IllegalStateException("server gone");
        }, completions)) {
            CompletableFuture<Integer> settled = new CompletableFuture<>();
            CompletableFuture<Integer> unsettled = new CompletableFuture<>();
            commits.submit(1).whenComplete((v, e) -> complete(settled, v, e));
            CompletableFuture<Integer> second = commits.submit(2).toCompletableFuture();
            second.whenComplete((v, e) -> complete(unsettled, v, e));

            assertThat(settled.join()).isZero();
            assertThatThrownBy(unsettled::join).isInstanceOf(CompletionException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("server gone");
        }
    }

    @Test
    void futuresCompleteOnTheCompletionExecutorNotTheFlushingThread() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        try (GroupCommit<Integer, String> commits = new GroupCommit<>("flusher", 10, batch -> {
            registered.await(); // so the continuation below is attached before the future completes
            batch.forEach(job -> job.complete(Thread.currentThread().getName()));
        }, completions)) {
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            CompletableFuture<String> flushedOn = commits.submit(1).toCompletableFuture();
            flushedOn.thenRun(() -> ranOn.complete(Thread.currentThread().getName()));
            registered.countDown();

            // wait on the continuation only: a thread blocked in get() on flushedOn may run its dependents itself
            assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo("completion");
            assertThat(flushedOn.getNow(null)).isEqualTo("flusher");
        }
    }

    @Test
    void aLargeBatchIsHandedToTheCompletionExecutorInChunksNotOneTaskPerItem() throws Exception {
        // 200 items in chunks of at most 32
        assertThat(completionTasksForOneBatchOf(200)).isEqualTo(7);
    }

    @Test
    void aSmallBatchIsStillSpreadOverSeveralCompletionTasks() throws Exception {
        assertThat(completionTasksForOneBatchOf(8)).isEqualTo(GroupCommit.SPREAD);
    }

    /** Completion tasks that one flushed batch of {@code items} took, once every item's future has completed. */
    private int completionTasksForOneBatchOf(int items) throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor counting = task -> {
            tasks.incrementAndGet();
            completions.execute(task);
        };
        CountDownLatch firstFlushStarted = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 1000, batch -> {
            firstFlushStarted.countDown();
            hold.await();
            batch.forEach(job -> job.complete(job.item()));
        }, counting)) {
            CompletableFuture<Integer> first = commits.submit(0).toCompletableFuture();
            // the others queue up behind the first as one batch
            assertThat(firstFlushStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 1; i <= items; i++) {
                all.add(commits.submit(i).toCompletableFuture());
            }
            hold.countDown();
            first.get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);

            assertThat(all).extracting(CompletableFuture::join).hasSize(items).doesNotHaveDuplicates();
            return tasks.get() - 1; // the first batch's one task
        }
    }

    @Test
    void aClosedCommitRefusesNewItems() {
        GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 10, batch -> batch.forEach(job -> job.complete(1)),
                completions);
        commits.close();
        assertThatThrownBy(() -> commits.submit(1).toCompletableFuture().join())
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("test is stopped");
    }

    private static <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
        if (failure != null) {
            target.completeExceptionally(failure);
        } else {
            target.complete(value);
        }
    }

    @Test
    void itemsStillCompleteWhenTheCompletionExecutorHasShutDown() throws Exception {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 10, batch -> batch.forEach(job -> job.complete(7)),
                stopped)) {
            assertThat(commits.submit(1).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void whatRunsAfterTheWriteCanFailTheItemWithItsOwnException() {
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", 10, batch -> batch.forEach(job -> job.complete(1)),
                completions)) {
            CompletableFuture<Void> done = commits.submit(1, value -> {
                throw new IllegalArgumentException("metrics broke");
            }).toCompletableFuture();

            assertThatThrownBy(done::join).hasCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("metrics broke");
        }
    }
}
