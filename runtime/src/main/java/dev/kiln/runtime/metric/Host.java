package dev.kiln.runtime.metric;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small helpers that bring a batch's values to the JVM in one call, so metrics loop in Java instead of ND4J. */
final class Host {

    private Host() {
    }

    /**
     * All values in C order, as floats: a bulk copy straight from the memory of a contiguous float32 array (a view of
     * a model's buffers included), else one ND4J conversion.
     */
    static float[] floats(INDArray a) {
        java.nio.FloatBuffer direct = dev.kiln.runtime.kernel.Vec.floats(a);
        if (direct != null) {
            float[] out = new float[direct.limit()];
            direct.get(0, out);
            return out;
        }
        return contiguous(a).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
    }

    /** All values in C order, as longs. */
    static long[] longs(INDArray a) {
        return contiguous(a).data().asLong();
    }

    /** Indexes of the largest value along the last axis (the first of ties), one per row, in C order. */
    static long[] argmaxLastAxis(INDArray a) {
        float[] v = floats(a);
        int width = (int) lastDim(a);
        long[] out = new long[v.length / width];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int j = 1; j < width; j++) {
                if (v[r * width + j] > v[r * width + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
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
