package dev.kiln.runtime.kernel;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether an array holds only finite values: the check a training step makes on its gradients before the optimizer
 * may touch the weights. One pass over the flat gradient buffer, split over Kiln's threads like the optimizer's own.
 */
public final class Finite {
    private static final int CHUNK = 4096;
    /** Per thread: a chunk of floats copied in from native memory, so that the loop below vectorizes. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private Finite() {
    }

    /** True when every element of {@code a} (contiguous, float32 or float64) is neither NaN nor infinite. */
    public static boolean all(INDArray a) {
        FloatBuffer floats = Vec.floats(a);
        if (floats == null) {
            Vec v = Vec.of(a);
            for (int i = 0; i < v.length(); i++) {
                if (!Double.isFinite(v.get(i))) {
                    return false;
                }
            }
            return true;
        }
        AtomicBoolean bad = new AtomicBoolean();
        Parallel.forRange(floats.limit(), (from, to) -> {
            float[] chunk = SCRATCH.get();
            for (int at = from; at < to && !bad.get(); at += CHUNK) {
                int n = Math.min(CHUNK, to - at);
                floats.get(at, chunk, 0, n);
                if (!Float.isFinite(maxAbs(chunk, n))) {
                    bad.set(true);
                }
            }
        });
        return !bad.get();
    }

    /**
     * The largest magnitude among {@code x[0..n)}: NaN when one is NaN, infinite when one is infinite. A max reduction
     * the JIT vectorizes, where a test per element would branch.
     */
    private static float maxAbs(float[] x, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }
}
