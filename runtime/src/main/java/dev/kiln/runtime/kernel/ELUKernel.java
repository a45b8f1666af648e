package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code ELU} layer: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise. */
public final class ELUKernel {
    private ELUKernel() {
    }

    /** {@code y = elu(x)}; {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray y, double alpha) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            out.set(i, v > 0 ? v : alpha * Math.expm1(v));
        }
    }

    /**
     * {@code dx = dy * elu'(x)} (or {@code +=}): 1 for {@code x > 0}, else {@code alpha * exp(x)}, which is
     * {@code y + alpha} from the output without a second exponential.
     */
    public static void backward(INDArray x, INDArray y, INDArray dy, INDArray dx, double alpha, boolean accumulate) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        for (int i = 0, n = in.length(); i < n; i++) {
            double r = g.get(i) * (in.get(i) > 0 ? 1 : out.get(i) + alpha);
            d.set(i, accumulate ? d.get(i) + r : r);
        }
    }
}
