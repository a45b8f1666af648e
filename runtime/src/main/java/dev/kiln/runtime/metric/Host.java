package dev.kiln.runtime.metric;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers that bring a batch's values to the JVM in one call, so metrics loop in Java instead of ND4J. */
final class Host {

    private Host() {
    }

    /** All values in C order, as floats (one ND4J copy when {@code a} is a view or not C-ordered). */
    static float[] floats(INDArray a) {
        return contiguous(a).data().asFloat();
    }

    /** All values in C order, as longs. */
    static long[] longs(INDArray a) {
        return contiguous(a).data().asLong();
    }

    /** Indexes of the largest value along the last axis, one per row, in C order (one ND4J op). */
    static long[] argmaxLastAxis(INDArray a) {
        return longs(Nd4j.argMax(a, a.rank() - 1));
    }

    /** Size of the last axis ("classes"); 1 for a vector of per-sample values {@code (batch)}. */
    static long lastDim(INDArray a) {
        return a.rank() <= 1 ? 1 : a.size(a.rank() - 1);
    }

    /** Number of rows along the last axis: {@code length / lastDim}. */
    static long rows(INDArray a) {
        return a.length() / Math.max(1, lastDim(a));
    }

    /** A shape in Keras notation with the batch axis as {@code batch}: {@code (batch, 10)}. */
    static String shape(INDArray a) {
        long[] s = a.shape();
        if (s.length == 0) {
            return "()";
        }
        String rest = Arrays.stream(s, 1, s.length).mapToObj(Long::toString).collect(Collectors.joining(", "));
        return rest.isEmpty() ? "(batch)" : "(batch, " + rest + ")";
    }

    private static INDArray contiguous(INDArray a) {
        boolean plain = !a.isView() && a.offset() == 0 && a.ordering() == 'c' && a.data().length() == a.length();
        return plain ? a : a.dup('c');
    }
}
