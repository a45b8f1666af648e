package dev.kiln.processor.graph;

import java.util.Arrays;

/**
 * The shape of one sample (no batch axis). An axis is a length, or a negative number naming an axis only known at run
 * time: {@code -k} is the k-th open ({@code NONE}) input axis of the model, shown as {@code None}.
 */
public record Shape(long[] dims) {
    public Shape {
        dims = dims.clone();
    }

    /** A copy: shapes are values. */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    public static Shape of(long... dims) {
        return new Shape(dims);
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public long last() {
        return dims[dims.length - 1];
    }

    public boolean isOpen(int axis) {
        return dim(axis) < 0;
    }

    /** The same shape with the last axis replaced. */
    public Shape withLast(long d) {
        long[] out = dims.clone();
        out[out.length - 1] = d;
        return new Shape(out);
    }

    /** Elements per sample, counting open axes as one (for per-sample costs, which scale with them). */
    public long elements() {
        long n = 1;
        for (long d : dims) {
            n *= Math.max(d, 1);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Keras notation without the batch axis: {@code (128)}, {@code (None, 64)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "None" : Long.toString(dims[i]));
        }
        return sb.append(')').toString();
    }
}
