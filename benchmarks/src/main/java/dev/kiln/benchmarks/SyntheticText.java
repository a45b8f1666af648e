package dev.kiln.benchmarks;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Workload W3's data: sequences of {@value #STEPS} word ids in {@code [1, VOCABULARY)} with a binary label, from a
 * fixed generator (SplitMix64 from {@link #DATA_SEED}, so that any system can rebuild the same arrays): the label is a
 * fair coin; each step is, with probability 1/8, a signal word ({@code [1, 51)} for label 1, {@code [51, 101)} for
 * label 0) and otherwise a noise word from {@code [101, VOCABULARY)}. A model learns it by counting signal words.
 */
final class SyntheticText {
    static final int VOCABULARY = 20000;
    static final int STEPS = 80;
    static final int TRAIN = 2048;
    static final int TEST = 512;
    static final long DATA_SEED = 2026;

    private long state;

    private SyntheticText(long seed) {
        this.state = seed;
    }

    /** SplitMix64's next value. */
    private long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, n)} from the top 53 bits (n small: the bias is far below anything measured here). */
    private int below(int n) {
        return (int) (((next() >>> 11) * 0x1.0p-53) * n);
    }

    static TrainTest load() {
        SyntheticText g = new SyntheticText(DATA_SEED);
        return new TrainTest(g.dataset(TRAIN), g.dataset(TEST));
    }

    private Dataset dataset(int n) {
        int[] ids = new int[n * STEPS];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            int label = below(2);
            labels[i] = label;
            for (int t = 0; t < STEPS; t++) {
                int id;
                if (below(8) == 0) {
                    id = (label == 1 ? 1 : 51) + below(50);
                } else {
                    id = 101 + below(VOCABULARY - 101);
                }
                ids[i * STEPS + t] = id;
            }
        }
        return Dataset.of(Nd4j.createFromArray(ids).reshape(n, STEPS),
                Nd4j.create(labels, new long[] {n, 1}, DataType.FLOAT));
    }
}
