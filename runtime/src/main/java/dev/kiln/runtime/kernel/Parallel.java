package dev.kiln.runtime.kernel;

/**
 * Splits a long loop over Kiln's compute threads ({@link Workers}: the caller and one worker per further core). The
 * passes between GEMMs (the optimizer step above all) are plain Java loops; on a 2-core machine a fused Adam step over
 * 670k weights went from one core to two with this. Short loops stay on the calling thread.
 */
public final class Parallel {
    /** Below this many elements per chunk, threads cost more than they save. */
    private static final int MIN_CHUNK = 1 << 14;
    /** Chunks per thread, shared out as threads come free ({@link Workers#share}); no chunk below MIN_CHUNK. */
    private static final int TASKS_PER_THREAD = 4;

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code MIN_CHUNK} elements, up to
     * {@code TASKS_PER_THREAD} per thread, each handed to the next free thread; the chunks must be independent.
     */
    public static void forRange(int n, Range body) {
        int chunks = Math.min(Workers.THREADS * TASKS_PER_THREAD, n / MIN_CHUNK);
        if (Workers.THREADS == 1 || chunks <= 1) {
            body.run(0, n);
            return;
        }
        int step = (n + chunks - 1) / chunks;
        Workers.share(chunks, c -> body.run(c * step, Math.min(n, (c + 1) * step)));
    }
}
