package dev.kiln.benchmarks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Array helpers shared by the contenders. */
final class BenchArrays {
    /** How many single-sample test arrays the latency measurement cycles through. */
    static final int SINGLES = 256;

    private BenchArrays() {
    }

    /** Rows {@code [from, from + n)} of {@code a}, copied into a new contiguous array (not a view). */
    static INDArray rows(INDArray a, long from, long n) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, from + n);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index).dup('c');
    }

    /** Class ids {@code (n)} as one-hot rows {@code (n, classes)}, float32. */
    static INDArray oneHot(INDArray ids, int classes) {
        long n = ids.size(0);
        float[] values = new float[Math.toIntExact(n * classes)];
        for (int i = 0; i < n; i++) {
            values[i * classes + ids.getInt(i)] = 1f;
        }
        return Nd4j.create(values, new long[] {n, classes}, 'c');
    }
}
