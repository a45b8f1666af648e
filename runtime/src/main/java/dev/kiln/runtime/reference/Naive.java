package dev.kiln.runtime.reference;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain arrays references compute on: an {@link INDArray}'s values as a row-major {@code double[]}, and back. Slow
 * and obvious on purpose.
 */
final class Naive {
    private Naive() {
    }

    /** {@code a}'s values in row-major order. */
    static double[] values(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }

    /** A new array of {@code like}'s data type holding {@code values} in {@code shape}. */
    static INDArray array(double[] values, long[] shape, INDArray like) {
        return Nd4j.create(values, shape, 'c').castTo(like.dataType());
    }

    /** Row-major strides of {@code shape}. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= shape[i];
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    static long[] index(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
