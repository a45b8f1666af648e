package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code ReLU} layer ({@code keras/src/activations/activations.py}, {@code relu}): {@code min(x, maxValue)}
 * for {@code x > threshold}, else {@code negativeSlope * (x - threshold)}.
 */
public final class ReLUKernel {
    private ReLUKernel() {
    }

    /** {@code y = relu(x)}; {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray y, double maxValue, double negativeSlope, double threshold) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            out.set(i, v > threshold ? Math.min(v, maxValue) : negativeSlope * (v - threshold));
        }
    }

    /** {@code dx = dy * relu'(x)}, or {@code +=} with {@code accumulate}: 1 between the bounds, 0 above, the slope below. */
    public static void backward(INDArray x, INDArray dy, INDArray dx, double maxValue, double negativeSlope,
            double threshold, boolean accumulate) {
        Vec in = Vec.of(x);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            double slope = v > threshold ? (v < maxValue ? 1 : 0) : negativeSlope;
            double r = g.get(i) * slope;
            d.set(i, accumulate ? d.get(i) + r : r);
        }
    }
}
