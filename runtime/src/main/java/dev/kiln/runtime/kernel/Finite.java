package dev.kiln.runtime.kernel;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether an array holds only finite values: the check a training step makes on its gradients before the optimizer
 * may touch the weights. One pass over the flat gradient buffer, split over Kiln's threads like the optimizer's own.
 */
public final class Finite {
    private static final int CHUNK = 4096;
    /** Per thread: a chunk of float32 bit patterns copied in from native memory, so that the loop below vectorizes. */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[CHUNK]);

    private Finite() {
    }

    /** True when every element of {@code a} (contiguous, float32 or float64) is neither NaN nor infinite. */
    public static boolean all(INDArray a) {
        if (a.isEmpty()) {
            return true;
        }
        IntBuffer bits = floatBits(a);
        if (bits == null) {
            Vec v = Vec.of(a);
            for (int i = 0; i < v.length(); i++) {
                if (!Double.isFinite(v.get(i))) {
                    return false;
                }
            }
            return true;
        }
        AtomicBoolean bad = new AtomicBoolean();
        Parallel.forRange(bits.limit(), (from, to) -> {
            int[] chunk = SCRATCH.get();
            for (int at = from; at < to && !bad.get(); at += CHUNK) {
                int n = Math.min(CHUNK, to - at);
                bits.get(at, chunk, 0, n);
                if (anyNonFinite(chunk, n)) {
                    bad.set(true);
                }
            }
        });
        return !bad.get();
    }

    /** The float32 memory of {@code a} as its bit patterns, or null when {@code a} is not float32. */
    private static IntBuffer floatBits(INDArray a) {
        if (a.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT || !Vec.isContiguous(a)) {
            return null;
        }
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        bytes.position(Math.toIntExact(a.offset() * 4)).limit(Math.toIntExact((a.offset() + a.length()) * 4));
        return bytes.slice().order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    /**
     * Whether one of the floats whose bits are {@code bits[0..n)} is infinite or NaN: with the sign cleared, their
     * bits are at least {@code 0x7f800000}, so adding {@code 0x00800000} carries into the sign bit, which an OR over
     * all of them keeps. Integer AND, ADD and OR, which the JIT vectorizes; a float test per element would branch.
     */
    private static boolean anyNonFinite(int[] bits, int n) {
        int any = 0;
        for (int i = 0; i < n; i++) {
            any |= (bits[i] & 0x7fffffff) + 0x00800000;
        }
        return any < 0;
    }
}
