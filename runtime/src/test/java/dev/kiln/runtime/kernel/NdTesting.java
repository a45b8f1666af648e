package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Array helpers for the numerics tests: building arrays, views into larger buffers, and reading values back. */
public final class NdTesting {
    /** Fills the buffer around a view, so that a read or write outside the view shows. */
    public static final double SENTINEL = -12345.0;

    private NdTesting() {
    }

    /** A fresh contiguous C-ordered array of {@code type} holding {@code values}. */
    public static INDArray array(DataType type, double[] values, long... shape) {
        return Nd4j.createFromArray(values.clone()).castTo(type).reshape('c', shape).dup('c');
    }

    /**
     * A view of {@code shape} holding {@code values}, at element {@code offset} of a larger flat buffer whose other
     * elements are {@link #SENTINEL}; the buffer is {@code flat[0]} afterwards when {@code flat} is given.
     */
    public static INDArray view(DataType type, double[] values, int offset, INDArray[] flat, long... shape) {
        double[] all = new double[offset + values.length + 5];
        java.util.Arrays.fill(all, SENTINEL);
        System.arraycopy(values, 0, all, offset, values.length);
        INDArray buffer = Nd4j.createFromArray(all).castTo(type);
        INDArray v = buffer.get(NDArrayIndex.interval(offset, offset + values.length)).reshape('c', shape);
        if (v.offset() != offset || !v.isView()) {
            throw new AssertionError("expected a view at offset " + offset + ", got offset " + v.offset());
        }
        if (flat != null) {
            flat[0] = buffer;
        }
        return v;
    }

    /** The array's elements in C order, read through ND4J (not through {@link Vec}). */
    public static double[] values(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    /** The values as float32 would store them. */
    public static double[] roundToFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Uniform values in {@code [lo, hi)} from a fixed seed. */
    public static double[] uniform(long seed, int n, double lo, double hi) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble(lo, hi);
        }
        return out;
    }
}
