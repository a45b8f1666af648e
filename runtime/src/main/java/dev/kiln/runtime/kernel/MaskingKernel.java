package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code Masking}: a step whose features all equal the mask value is padding, zeroed and masked. */
public final class MaskingKernel {
    private MaskingKernel() {
    }

    /** {@code mask[b, t] = any(x[b, t, :] != maskValue)}, and {@code y = x * mask}; {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray y, INDArray mask, double maskValue) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Vec m = Vec.of(mask);
        int width = in.length() / m.length();
        for (int step = 0, n = m.length(); step < n; step++) {
            boolean keep = false;
            for (int j = step * width; j < (step + 1) * width && !keep; j++) {
                keep = in.get(j) != maskValue;
            }
            m.set(step, keep ? 1 : 0);
            for (int j = step * width; j < (step + 1) * width; j++) {
                out.set(j, keep ? in.get(j) : 0);
            }
        }
    }

    /** {@code dx = dy * mask} (or {@code +=} with {@code accumulate}): padding steps get no gradient. */
    public static void backward(INDArray mask, INDArray dy, INDArray dx, boolean accumulate) {
        Vec m = Vec.of(mask);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int width = g.length() / m.length();
        for (int i = 0, n = g.length(); i < n; i++) {
            double v = m.get(i / width) * g.get(i);
            d.set(i, accumulate ? d.get(i) + v : v);
        }
    }
}
