package dev.kiln.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The samples of one partition, read out of its records (rows or {@link Sample}s) once and packed: one
 * {@code double[]} per input and label column, sample after sample. Training caches the blocks on the executors
 * (Spark's {@code MEMORY_ONLY}), so the records are read and checked once, not once per round. A block whose records
 * held a bad value keeps the first problem instead of data.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    /** Inputs then labels, as {@link Layout#widths()}. */
    final double[][] packed;
    /** The first bad value, {@code column 'x' has NaN at position 3}, at local row {@link #problemRow}; or null. */
    final String problem;
    final int problemRow;

    private Block(int partition, int rows, double[][] packed, String problem, int problemRow) {
        this.partition = partition;
        this.rows = rows;
        this.packed = packed;
        this.problem = problem;
        this.problemRow = problemRow;
    }

    /**
     * Packs a partition's records; stops at the first bad value, keeping it (its record counted from the partition's
     * start).
     */
    static Block read(int partition, Iterator<?> rows, Layout layout) {
        List<Object> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        int[] widths = layout.widths();
        double[][] packed = new double[widths.length][];
        for (int i = 0; i < widths.length; i++) {
            packed[i] = new double[Math.multiplyExact(all.size(), widths[i])];
        }
        for (int r = 0; r < all.size(); r++) {
            String problem = layout.read(all.get(r), packed, r);
            if (problem != null) {
                return new Block(partition, all.size(), null, problem, r);
            }
        }
        return new Block(partition, all.size(), packed, null, -1);
    }

    /**
     * Checks a partition's records without keeping them (scoring reads them again as it goes): the block's size and
     * first problem, as {@link #summary()}.
     */
    static Block check(int partition, Iterator<?> rows, Layout layout) {
        int[] widths = layout.widths();
        double[][] one = new double[widths.length][];
        for (int i = 0; i < widths.length; i++) {
            one[i] = new double[widths[i]];
        }
        int r = 0;
        while (rows.hasNext()) {
            String problem = layout.read(rows.next(), one, 0);
            if (problem != null) {
                return new Block(partition, r + 1, null, problem, r);
            }
            r++;
        }
        return new Block(partition, r, null, null, -1);
    }

    /** A summary of this block for the driver's check: its size and its problem, without the data. */
    Block summary() {
        return new Block(partition, rows, null, problem, problemRow);
    }

    /**
     * Arrays of the samples {@code order[from..to)} for column {@code c} of {@code layout}, {@code (n, shape...)} in
     * {@code dtype}.
     */
    INDArray gather(int c, long[] shape, int[] order, int from, int to, DataType dtype) {
        int width = 1;
        for (long d : shape) {
            width *= (int) d;
        }
        int n = to - from;
        double[] out = new double[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(packed[c], order[from + i] * width, out, i * width, width);
        }
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        INDArray a = Nd4j.createFromArray(out).reshape('c', full);
        return dtype == DataType.DOUBLE ? a : a.castTo(dtype);
    }
}
