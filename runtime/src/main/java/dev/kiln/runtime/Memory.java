package dev.kiln.runtime;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime's single point of allocation for model memory (weights, gradients, optimizer slots, activation
 * buffers). It counts what it hands out, so a test can prove that a warmed-up step allocates nothing.
 */
public final class Memory {
    private static final AtomicLong ALLOCATIONS = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();

    private Memory() {
    }

    /** A new zero-filled array. */
    public static INDArray zeros(DataType dtype, long... shape) {
        INDArray a = Nd4j.create(dtype, shape);
        ALLOCATIONS.incrementAndGet();
        BYTES.addAndGet(a.length() * dtype.width());
        return a;
    }

    /** Arrays allocated so far, by every model in this JVM. */
    public static long allocations() {
        return ALLOCATIONS.get();
    }

    /** Bytes allocated so far. */
    public static long bytes() {
        return BYTES.get();
    }
}
