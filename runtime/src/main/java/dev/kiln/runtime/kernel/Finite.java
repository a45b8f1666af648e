package dev.kiln.runtime.kernel;

import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sasum;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether an array holds only finite values: the check a training step makes on its gradients before the optimizer
 * may touch the weights, so it has to be cheap.
 *
 * <p>The fast path is OpenBLAS's {@code sasum} (the sum of magnitudes) over stripes of the array on Kiln's threads:
 * one NaN makes the sum NaN and one infinity makes it infinite, so a finite sum proves every element finite, reading
 * native memory in place with OpenBLAS's vector kernel. Only a non-finite sum (a non-finite element, or finite values
 * whose magnitudes overflow float32 when added) takes the exact scan, which copies chunks to the heap and tests their
 * bits. Measured over the 669,706 gradients of the Fashion-MNIST MLP on the loaded 2-core machine: the exact scan
 * alone took 81 us on two threads and 147 us on one, about as much as the Adam step (200-380 us) it guards.
 */
public final class Finite {
    private static final int CHUNK = 4096;
    /** Per thread: a chunk of float32 bit patterns copied in from native memory, so that the loop below vectorizes. */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[CHUNK]);
    /** Whether this machine's OpenBLAS kernel lets NaN and infinity through its sum, tried once; if not, always exact. */
    private static final boolean SUM_SEES_NON_FINITE = probe();

    private Finite() {
    }

    /** True when every element of {@code a} (contiguous, float32 or float64) is neither NaN nor infinite. */
    public static boolean all(INDArray a) {
        if (a.isEmpty()) {
            return true;
        }
        if (SUM_SEES_NON_FINITE && a.dataType() == DataType.FLOAT && Vec.isContiguous(a)) {
            int n = Math.toIntExact(a.length());
            AtomicBoolean suspect = new AtomicBoolean();
            Parallel.forRange(n, (from, to) -> {
                if (!Float.isFinite(cblas_sasum(to - from, Blas.floats(a, from), 1))) {
                    suspect.set(true);
                }
            });
            if (!suspect.get()) {
                return true;
            }
        }
        return exactly(a);
    }

    /** {@code sasum} over arrays holding one NaN or one infinity, at the vector body and at the scalar tail. */
    private static boolean probe() {
        for (int at : new int[] {0, 37, 98}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] x = new float[99];
                java.util.Arrays.fill(x, 1f);
                x[at] = bad;
                if (Float.isFinite(cblas_sasum(x.length, x, 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The exact test, element by element: float32 through the bits of heap copies, float64 one by one. */
    static boolean exactly(INDArray a) {
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
        if (a.dataType() != DataType.FLOAT || !Vec.isContiguous(a)) {
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
