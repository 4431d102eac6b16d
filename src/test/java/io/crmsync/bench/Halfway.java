package io.crmsync.bench;

/**
 * Marks a drain's CPU once half of its events are processed, so that its second half, when most of the JIT's
 * compiling is done, can be measured apart. The app's drain and the in-process baselines are marked alike, each by
 * the loop that counts its progress.
 */
final class Halfway {

    private final CpuSampler cpu;
    private final long total;
    private boolean marked;
    private long markNanos;
    private long markCount;

    Halfway(CpuSampler cpu, long total) {
        this.cpu = cpu;
        this.total = total;
    }

    /** @param count events processed so far */
    void progress(long count) {
        if (!marked && count >= total / 2) {
            cpu.mark();
            markNanos = System.nanoTime();
            markCount = count;
            marked = true;
        }
    }

    /**
     * The part from the mark to the end, once {@code cpu} is stopped; unknown when it is too short to say anything: a
     * quarter of the events or one second (CPU ticks are 10 ms), as when the mark came late.
     */
    Benchmark.Measured after(long count, long endNanos, String process) {
        long events = count - markCount;
        double seconds = (endNanos - markNanos) / 1e9;
        if (!marked || events < total / 4 || seconds < 1) {
            return Benchmark.Measured.UNKNOWN;
        }
        return new Benchmark.Measured(events / seconds, cpu.microsPerEventSinceMark(process, events));
    }
}
