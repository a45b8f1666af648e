package dev.kiln.runtime.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A contiguous float32 or float64 array seen from Java: {@link #floats} or {@link #doubles} (the other is null) index
 * its elements from 0 to {@link #length}, so an optimizer step is one Java loop over the weights instead of a chain of
 * ND4J ops (each costs ~35 us of call overhead; a fused loop also makes one pass over memory).
 *
 * <p>Three kinds: a view of an {@link INDArray}'s native memory (the weights and gradients, which BLAS reads and
 * writes); an optimizer slot on the Java heap ({@link #slot}), whose buffer is backed by an array; and a float32 slot
 * in {@link #CHUNK}-element arrays ({@link #chunkedSlot}: {@link #chunks}, and {@code floats} is null). The JIT
 * vectorizes a loop over arrays but not over native buffers, and only when every array is indexed alike: a step
 * copies a chunk of weights and gradients to scratch arrays and updates it against the slots' chunk at the same
 * index. Measured for 670k weights on one core: 0.40 ms that way, 0.52 ms with the slots in one array (the weights
 * and gradients then need heap copies as long as the slots), 2.4 ms when the indices differ by an offset.
 *
 * <p>Float32 arrays are read and computed in float: on the machines measured, a Java loop that converts each element
 * between float and double runs 3-6 times slower than one that stays in float.
 */
final class FlatArray {
    /** Elements per chunk of a chunked slot. */
    static final int CHUNK = 2048;

    /** The viewed array; null for a slot. */
    final INDArray array;
    /** A chunked slot's elements, {@code CHUNK} per array (the last may be shorter); null for the other kinds. */
    final float[][] chunks;
    final int length;
    final FloatBuffer floats;
    final DoubleBuffer doubles;
    private final long address;
    private final long offset;

    private FlatArray(INDArray array) {
        this.array = array;
        this.length = Math.toIntExact(array.length());
        this.address = array.data().address();
        this.offset = array.offset();
        int width = array.dataType().width();
        ByteBuffer bytes = array.data().asNio().order(ByteOrder.nativeOrder());
        bytes.position(Math.toIntExact(offset * width)).limit(Math.toIntExact((offset + length) * width));
        bytes = bytes.slice().order(ByteOrder.nativeOrder());
        this.floats = array.dataType() == DataType.FLOAT ? bytes.asFloatBuffer() : null;
        this.doubles = array.dataType() == DataType.DOUBLE ? bytes.asDoubleBuffer() : null;
        this.chunks = null;
    }

    /**
     * {@code array} seen from Java; {@code cached} is returned instead when it already views the same memory, so that a
     * step given a fresh view of the same weights each time allocates nothing.
     */
    static FlatArray of(INDArray array, FlatArray cached, String what, DataType dtype, long length) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (array.dataType() != dtype) {
            throw new IllegalArgumentException(what + " must be " + dtype + " like the optimizer (built by compile()), got "
                    + array.dataType());
        }
        if (array.length() != length) {
            throw new IllegalArgumentException(what + " must hold the " + length + " weights the optimizer was built for,"
                    + " got " + array.length() + " elements of shape " + Arrays.toString(array.shape()));
        }
        if (!isContiguous(array)) {
            throw new IllegalArgumentException(what + " must be contiguous, got shape " + Arrays.toString(array.shape())
                    + " with strides " + Arrays.toString(array.stride()));
        }
        return cached != null && cached.views(array) ? cached : new FlatArray(array);
    }

    private FlatArray(DataType dtype, int length, boolean chunked) {
        this.array = null;
        this.length = length;
        this.address = 0;
        this.offset = 0;
        if (chunked) {
            this.chunks = new float[(length + CHUNK - 1) / CHUNK][];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = new float[Math.min(CHUNK, length - c * CHUNK)];
            }
            this.floats = null;
            this.doubles = null;
        } else {
            this.chunks = null;
            this.floats = dtype == DataType.FLOAT ? FloatBuffer.wrap(new float[length]) : null;
            this.doubles = dtype == DataType.DOUBLE ? DoubleBuffer.wrap(new double[length]) : null;
        }
    }

    /** An optimizer slot of {@code length} zeros on the heap: {@code floats.array()} or {@code doubles.array()}. */
    static FlatArray slot(DataType dtype, int length) {
        return new FlatArray(dtype, length, false);
    }

    /** A float32 optimizer slot of {@code length} zeros in {@link #chunks}. */
    static FlatArray chunkedSlot(int length) {
        return new FlatArray(DataType.FLOAT, length, true);
    }

    /** Sets every element of a slot to {@code value}. */
    void fill(double value) {
        if (chunks != null) {
            for (float[] chunk : chunks) {
                Arrays.fill(chunk, (float) value);
            }
        } else if (floats != null) {
            Arrays.fill(floats.array(), (float) value);
        } else {
            Arrays.fill(doubles.array(), value);
        }
    }

    /** A slot's copy as a new rank-1 array of the same dtype. */
    INDArray copy() {
        if (chunks != null) {
            float[] values = new float[length];
            for (int c = 0; c < chunks.length; c++) {
                System.arraycopy(chunks[c], 0, values, c * CHUNK, chunks[c].length);
            }
            return Nd4j.createFromArray(values);
        }
        return floats != null ? Nd4j.createFromArray(floats.array().clone())
                : Nd4j.createFromArray(doubles.array().clone());
    }

    /** Copies {@code source}'s {@link #length} elements into a slot (C order), converted to the slot's dtype. */
    void assign(INDArray source) {
        INDArray flat = source.reshape(length);
        if (chunks != null) {
            float[] values = flat.castTo(DataType.FLOAT).toFloatVector();
            for (int c = 0; c < chunks.length; c++) {
                System.arraycopy(values, c * CHUNK, chunks[c], 0, chunks[c].length);
            }
        } else if (floats != null) {
            float[] values = flat.castTo(DataType.FLOAT).toFloatVector();
            System.arraycopy(values, 0, floats.array(), 0, length);
        } else {
            double[] values = flat.castTo(DataType.DOUBLE).toDoubleVector();
            System.arraycopy(values, 0, doubles.array(), 0, length);
        }
    }

    private boolean views(INDArray other) {
        return array != null && other.data().address() == address && other.offset() == offset;
    }

    private static boolean isContiguous(INDArray a) {
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
}
