package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code LeakyReLU} layer: {@code x} for {@code x >= 0}, {@code negativeSlope * x} below. */
public final class LeakyReLUKernel {
    private LeakyReLUKernel() {
    }

    /** {@code y = leakyRelu(x)}; {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray y, double negativeSlope) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            out.set(i, v >= 0 ? v : negativeSlope * v);
        }
    }

    /** {@code dx = dy * (x >= 0 ? 1 : negativeSlope)}, or {@code +=} with {@code accumulate}. */
    public static void backward(INDArray x, INDArray dy, INDArray dx, double negativeSlope, boolean accumulate) {
        Vec in = Vec.of(x);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        for (int i = 0, n = in.length(); i < n; i++) {
            double r = g.get(i) * (in.get(i) >= 0 ? 1 : negativeSlope);
            d.set(i, accumulate ? d.get(i) + r : r);
        }
    }
}
