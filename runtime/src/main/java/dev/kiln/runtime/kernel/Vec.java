package dev.kiln.runtime.kernel;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to a contiguous, C-ordered float32 or float64 array, so that element-wise kernels run as one
 * Java loop over the array's memory instead of one ND4J op per step (an ND4J op costs ~25-40 us of call overhead).
 *
 * <p>Index {@code i} is the array's i-th element in C order; views (a weight inside the flat parameter buffer, the
 * first rows of a batch buffer) are handled through their offset.
 */
public abstract sealed class Vec permits Vec.F32, Vec.F64 {
    final int length;

    private Vec(int length) {
        this.length = length;
    }

    /** Wraps {@code a}, which must be contiguous in C order and float32 or float64. */
    public static Vec of(INDArray a) {
        if (!isContiguous(a)) {
            throw new IllegalArgumentException("kernel needs a contiguous C-ordered array, got shape "
                    + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
        }
        long offset = a.offset();
        int n = Math.toIntExact(a.length());
        DataType t = a.dataType();
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        if (t == DataType.FLOAT) {
            return new F32(bytes.asFloatBuffer(), Math.toIntExact(offset), n);
        }
        if (t == DataType.DOUBLE) {
            return new F64(bytes.asDoubleBuffer(), Math.toIntExact(offset), n);
        }
        throw new IllegalArgumentException("kernels run on float32 or float64 arrays, got " + t);
    }

    /**
     * The float32 memory of a contiguous array as a buffer of exactly its elements (index 0 is its first), or null
     * when it is not float32: the fast paths of the kernels loop over it directly.
     */
    public static FloatBuffer floats(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !isContiguous(a)) {
            return null;
        }
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        int width = 4;
        bytes.position(Math.toIntExact(a.offset() * width)).limit(Math.toIntExact((a.offset() + a.length()) * width));
        return bytes.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    static boolean isContiguous(INDArray a) {
        if (a.length() <= 1) {
            return true;
        }
        long expected = 1;
        long[] shape = a.shape();
        long[] stride = a.stride();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    public final int length() {
        return length;
    }

    public abstract double get(int i);

    public abstract void set(int i, double v);

    /** float32 memory. */
    public static final class F32 extends Vec {
        final FloatBuffer b;
        final int off;

        F32(FloatBuffer b, int off, int length) {
            super(length);
            this.b = b;
            this.off = off;
        }

        @Override
        public double get(int i) {
            return b.get(off + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(off + i, (float) v);
        }
    }

    /** float64 memory. */
    public static final class F64 extends Vec {
        final DoubleBuffer b;
        final int off;

        F64(DoubleBuffer b, int off, int length) {
            super(length);
            this.b = b;
            this.off = off;
        }

        @Override
        public double get(int i) {
            return b.get(off + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(off + i, v);
        }
    }
}
