package dev.kiln.runtime.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a long loop over the machine's cores. BLAS already uses every core inside a GEMM, but the passes between
 * GEMMs (the optimizer step above all) are plain Java loops; on a 2-core machine a fused Adam step over 670k weights
 * went from one core to two with this. Short loops stay on the calling thread.
 */
public final class Parallel {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Below this many elements per chunk, threads cost more than they save. */
    private static final int MIN_CHUNK = 1 << 15;

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Runs {@code body} over {@code [0, n)} in up to one chunk per core; the chunks must be independent. */
    public static void forRange(int n, Range body) {
        int chunks = Math.min(CORES, n / MIN_CHUNK);
        if (chunks <= 1 || ForkJoinPool.getCommonPoolParallelism() < 1) {
            body.run(0, n);
            return;
        }
        int step = (n + chunks - 1) / chunks;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = c * step;
            int to = Math.min(n, from + step);
            tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
        }
        body.run(0, Math.min(n, step));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
