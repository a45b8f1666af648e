package dev.kiln.runtime;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Activation and gradient buffers, by slot of the plan: buffers whose lifetimes in a step do not overlap share a slot. A slot's memory grows to the largest batch it has seen and
 * is reused after that: a smaller batch (an epoch's last) gets a view of its first elements, and views are cached per
 * shape, so steady-state steps allocate nothing.
 */
final class BufferPool {
    private final DataType dtype;
    private INDArray[] backing;
    private INDArray[] lastView;
    private long[][] lastShape;
    private long growths;
    /** Every buffer in memory of its own, whatever its slot: a feature extractor keeps every node's value. */
    private boolean apart;
    /** In {@link #apart} mode, the buffers handed out since the last {@link #rewind}. */
    private int handedOut;

    BufferPool(int slots, DataType dtype) {
        this.dtype = dtype;
        this.backing = new INDArray[slots];
        this.lastView = new INDArray[slots];
        this.lastShape = new long[slots][];
    }

    /** From now on each buffer of a binding gets memory of its own, so that no node's value is overwritten. */
    void keepBuffersApart() {
        apart = true;
    }

    /** Starts a binding: in {@link #keepBuffersApart} mode, buffers are counted from the first again. */
    void rewind() {
        handedOut = 0;
    }

    /** How many times a slot's memory has grown; a bind that grew a slot binds again, so no view is stale. */
    long growths() {
        return growths;
    }

    /** Slot {@code slot} as an array of {@code shape}, C-ordered and contiguous. */
    INDArray view(int slot, long... shape) {
        if (apart) {
            slot = handedOut++;
            if (slot >= backing.length) {
                int n = Math.max(slot + 1, 2 * backing.length);
                backing = java.util.Arrays.copyOf(backing, n);
                lastView = java.util.Arrays.copyOf(lastView, n);
                lastShape = java.util.Arrays.copyOf(lastShape, n);
            }
        }
        if (lastShape[slot] != null && Arrays.equals(lastShape[slot], shape)) {
            return lastView[slot];
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (backing[slot] == null || backing[slot].length() < n) {
            backing[slot] = Memory.zeros(dtype, Math.max(n, 1));
            growths++;
        }
        INDArray v = backing[slot].length() == n
                ? backing[slot].reshape('c', shape)
                : backing[slot].get(NDArrayIndex.interval(0, n)).reshape('c', shape);
        lastShape[slot] = shape.clone();
        lastView[slot] = v;
        return v;
    }
}
