package dev.kiln.runtime.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies samples (rows along axis 0) of one array into a destination of {@code rows} samples, allocated once, with one
 * {@code memcpy} per sample and no ND4J op. Measured on the 2-core machine, float32 60000x784, a shuffled epoch:
 * batch 32 ~30 us per batch against ~110 us for {@code Nd4j.pullRows} into the same buffer, batch 128 ~95-200 us
 * against ~490 us (memory-bound); on digits (64 features, batch 32) ~0.5 us against ~45 us, the cost of one ND4J op.
 * {@code getRows} + {@code assign} took ~5 ms, and {@code pullRows} rejects rank-1 and rank-4 sources.
 */
final class RowCopier {
    private final INDArray source;
    private final INDArray destination;
    private final BytePointer from;
    private final BytePointer to;
    private final long rowBytes;

    /** Allocates the destination: the source's dtype and sample shape, {@code rows} samples, row-major, detached. */
    RowCopier(INDArray source, int rows) {
        this.source = isRowMajor(source) ? source : source.dup('c');
        long[] shape = source.shape().clone();
        shape[0] = rows;
        this.destination = Nd4j.createUninitializedDetached(source.dataType(), 'c', shape);
        this.rowBytes = source.length() / source.size(0) * source.dataType().width();
        this.from = new BytePointer(this.source.data().addressPointer());
        this.to = new BytePointer(destination.data().addressPointer());
    }

    /** The array the samples are copied into; the same one for the copier's life. */
    INDArray destination() {
        return destination;
    }

    /** Copies source samples {@code order[start]}, ..., {@code order[start + count - 1]} to destination rows 0.. */
    void gather(int[] order, int start, int count) {
        for (int i = 0; i < count; i++) {
            Pointer.memcpy(to.position(i * rowBytes), from.position(order[start + i] * rowBytes), rowBytes);
        }
    }

    /** Copies source samples {@code start}, ..., {@code start + count - 1} to destination rows 0.. in one copy. */
    void copyRange(int start, int count) {
        Pointer.memcpy(to.position(0), from.position(start * rowBytes), count * rowBytes);
    }

    /** True when the array's elements lie in row-major order without gaps, so a sample is one run of bytes. */
    static boolean isRowMajor(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
