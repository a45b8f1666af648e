package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's activation functions ({@code keras/src/activations/activations.py}), forward and backward, each as one
 * pass over contiguous memory. {@code SOFTMAX} acts along the last axis.
 *
 * <p>Backward kernels take the activation's output {@code y} and, for the two functions whose derivative cannot be had
 * from {@code y} alone ({@code GELU}, {@code SWISH}/{@code SILU}), its input {@code z}; see {@link #needsInput}.
 */
public final class Activations {
    static final double SELU_ALPHA = 1.67326324235437728481704299167;
    static final double SELU_SCALE = 1.05070098735548049341933498529;
    static final double LEAKY_SLOPE = 0.2;
    private static final double INV_SQRT2 = 0.70710678118654752440;
    private static final double SQRT_2_OVER_PI = 0.79788456080286535588;
    private static final double GELU_CUBIC = 0.044715;
    private static final double INV_SQRT_2PI = 0.39894228040143267794;

    private Activations() {
    }

    /** True when the backward pass needs the activation's input as well as its output. */
    public static boolean needsInput(Activation f) {
        return f == Activation.GELU || f == Activation.GELU_APPROXIMATE || f == Activation.SWISH
                || f == Activation.SILU;
    }

    /** {@code y = f(z)}; {@code y} may be {@code z} (in place). */
    public static void forward(Activation f, INDArray z, INDArray y) {
        if (f == Activation.LINEAR) {
            if (z != y) {
                y.assign(z);
            }
            return;
        }
        Vec in = Vec.of(z);
        Vec out = Vec.of(y);
        if (f == Activation.SOFTMAX) {
            softmax(in, out, lastAxis(z));
            return;
        }
        for (int i = 0, n = in.length; i < n; i++) {
            out.set(i, apply(f, in.get(i)));
        }
    }

    /** {@code y = f(z + bias)} with {@code bias} broadcast along the last axis, in one pass; {@code y} may be {@code z}. */
    public static void biasForward(Activation f, INDArray z, INDArray bias, INDArray y) {
        if ((f == Activation.RELU || f == Activation.SOFTMAX) && z == y) {
            FloatBuffer out = Vec.floats(y);
            FloatBuffer b = Vec.floats(bias);
            if (out != null && b != null) {
                if (f == Activation.RELU) {
                    biasReluFloat(out, b);
                } else {
                    biasSoftmaxFloat(out, b);
                }
                return;
            }
        }
        Vec in = Vec.of(z);
        Vec b = Vec.of(bias);
        Vec out = Vec.of(y);
        int width = b.length;
        if (f == Activation.SOFTMAX) {
            for (int i = 0, n = in.length; i < n; i++) {
                out.set(i, in.get(i) + b.get(i % width));
            }
            softmax(out, out, width);
            return;
        }
        for (int i = 0, n = in.length; i < n; i++) {
            out.set(i, apply(f, in.get(i) + b.get(i % width)));
        }
    }

    /**
     * {@code dz = dy * f'(z)} from the output {@code y} (and the input {@code z} where {@link #needsInput}, else it may
     * be null); {@code dz} may be {@code dy}. With {@code accumulate}, adds into {@code dz} instead.
     */
    public static void backward(Activation f, INDArray z, INDArray y, INDArray dy, INDArray dz, boolean accumulate) {
        Vec out = Vec.of(y);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dz);
        if (f == Activation.SOFTMAX) {
            softmaxBackward(out, g, d, lastAxis(y), accumulate);
            return;
        }
        Vec in = needsInput(f) ? Vec.of(z) : null;
        for (int i = 0, n = out.length; i < n; i++) {
            double v = g.get(i) * derivative(f, in == null ? 0 : in.get(i), out.get(i));
            d.set(i, accumulate ? d.get(i) + v : v);
        }
    }

    /**
     * The hot path of an MLP's forward pass: {@code y = max(y + bias, 0)} in float32, a row at a time copied to the
     * heap, where the JIT vectorizes the loop (3-4x faster than element access to the buffer: 13 vs 45 us for a
     * (128, 512) batch; ND4J's two ops took 120 us). Splitting the rows over Kiln's threads measured no faster.
     */
    private static void biasReluFloat(FloatBuffer y, FloatBuffer bias) {
        int width = bias.limit();
        float[] b = new float[width];
        float[] row = new float[width];
        bias.get(0, b);
        for (int at = 0, n = y.limit(); at < n; at += width) {
            y.get(at, row, 0, width);
            for (int j = 0; j < width; j++) {
                row[j] = Math.max(row[j] + b[j], 0f);
            }
            y.put(at, row, 0, width);
        }
    }

    /**
     * {@code y = softmax(y + bias)} over the last axis in float32, a row at a time on the heap, with the same arithmetic
     * and roundings as {@link #softmax} on a float32 buffer: a classifier's output layer (128 x 10: 27 us through
     * element access, 13 us here).
     */
    private static void biasSoftmaxFloat(FloatBuffer y, FloatBuffer bias) {
        int width = bias.limit();
        float[] b = new float[width];
        float[] row = new float[width];
        double[] e = new double[width];
        bias.get(0, b);
        for (int at = 0, n = y.limit(); at < n; at += width) {
            y.get(at, row, 0, width);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                row[j] += b[j];
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                e[j] = Math.exp(row[j] - max);
                sum += e[j];
            }
            for (int j = 0; j < width; j++) {
                row[j] = (float) ((float) e[j] / sum); // rounded where softmax's float buffer rounds
            }
            y.put(at, row, 0, width);
        }
    }

    /**
     * {@code dy *= f'(.)} in place, and {@code dBias} (=, or += with {@code accumulateBias}) the column sums of the
     * result, in one pass: the backward pass of a Dense layer's activation and bias.
     */
    public static void backwardWithBias(Activation f, INDArray z, INDArray y, INDArray dy, INDArray dBias,
            boolean accumulateBias) {
        FloatBuffer g = Vec.floats(dy);
        FloatBuffer out = Vec.floats(y);
        FloatBuffer db = Vec.floats(dBias);
        if (f == Activation.RELU && g != null && out != null && db != null) {
            reluBackwardWithBiasFloat(g, out, db, accumulateBias);
            return;
        }
        backward(f, z, y, dy, dy, false);
        Kernels.biasGradient(dy, dBias, accumulateBias);
    }

    /**
     * The ReLU case in float32, a row at a time on the heap. The mask is {@code min(y * 2^200, 1)}, which is exactly 0
     * or 1 for a ReLU output (0, or a positive float of at least 2^-149), written as arithmetic so that the JIT
     * vectorizes the loop: 18 us per (128, 512) batch instead of 70 us with a conditional.
     */
    private static void reluBackwardWithBiasFloat(FloatBuffer g, FloatBuffer y, FloatBuffer db, boolean accumulate) {
        int width = db.limit();
        float[] sums = new float[width];
        float[] gr = new float[width];
        float[] yr = new float[width];
        for (int at = 0, n = g.limit(); at < n; at += width) {
            g.get(at, gr, 0, width);
            y.get(at, yr, 0, width);
            for (int j = 0; j < width; j++) {
                float v = gr[j] * Math.min(yr[j] * 0x1p100f * 0x1p100f, 1f);
                gr[j] = v;
                sums[j] += v;
            }
            g.put(at, gr, 0, width);
        }
        for (int j = 0; j < width; j++) {
            db.put(j, accumulate ? db.get(j) + sums[j] : sums[j]);
        }
    }

    static int lastAxis(INDArray a) {
        return Math.toIntExact(a.size(a.rank() - 1));
    }

    /** f(x) for every element-wise function. */
    public static double apply(Activation f, double x) {
        switch (f) {
            case LINEAR:
                return x;
            case RELU:
                return x > 0 ? x : 0;
            case SIGMOID:
                return sigmoid(x);
            case TANH:
                return Math.tanh(x);
            case ELU:
                return x > 0 ? x : Math.expm1(x);
            case SELU:
                return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
            case GELU:
                return 0.5 * x * (1 + Erf.erf(x * INV_SQRT2));
            case GELU_APPROXIMATE:
                return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
            case SOFTPLUS:
                // log(1 + exp(x)) without overflow
                return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTSIGN:
                return x / (Math.abs(x) + 1);
            case SWISH:
            case SILU:
                return x * sigmoid(x);
            case LEAKY_RELU:
                return x >= 0 ? x : LEAKY_SLOPE * x;
            case HARD_SIGMOID:
                return Math.min(Math.max(x / 6 + 0.5, 0), 1);
            default:
                throw new AssertionError("not element-wise: " + f);
        }
    }

    /** f'(z) given z and y = f(z). */
    static double derivative(Activation f, double z, double y) {
        switch (f) {
            case LINEAR:
                return 1;
            case RELU:
                return y > 0 ? 1 : 0;
            case SIGMOID:
                return y * (1 - y);
            case TANH:
                return 1 - y * y;
            case ELU:
                return y > 0 ? 1 : y + 1;
            case SELU:
                return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
            case GELU:
                return 0.5 * (1 + Erf.erf(z * INV_SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
            case GELU_APPROXIMATE: {
                double t = Math.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z * z * z));
                return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * z * z);
            }
            case SOFTPLUS:
                return -Math.expm1(-y); // sigmoid(z) = 1 - exp(-softplus(z))
            case SOFTSIGN: {
                double r = 1 - Math.abs(y); // 1 / (1 + |z|)
                return r * r;
            }
            case SWISH:
            case SILU: {
                double s = sigmoid(z);
                return s * (1 + z * (1 - s));
            }
            case LEAKY_RELU:
                return y >= 0 ? 1 : LEAKY_SLOPE;
            case HARD_SIGMOID:
                return y > 0 && y < 1 ? 1.0 / 6 : 0;
            default:
                throw new AssertionError("not element-wise: " + f);
        }
    }

    /**
     * {@code f(x)} for a kernel working on float32 memory: {@code tanh} through {@link Math#exp} (an intrinsic) instead
     * of {@link Math#tanh} (fdlibm, ~4x slower), accurate far beyond float32's rounding; every other function as
     * {@link #apply}. Float64 models keep {@link #apply}, so their gradient checks see the exact functions.
     */
    static double applyFloat(Activation f, double x) {
        return f == Activation.TANH ? tanhViaExp(x) : apply(f, x);
    }

    /** tanh(x) = 1 - 2 / (exp(2x) + 1); below |x| = 1e-3 its series x - x^3/3. Relative error under 1e-12
     * (the subtraction loses ~10 bits near 1e-3); float32 rounds at 6e-8. */
    static double tanhViaExp(double x) {
        double ax = Math.abs(x);
        if (ax < 1e-3) {
            return x - x * x * x / 3;
        }
        double t = 1 - 2 / (Math.exp(2 * ax) + 1);
        return x < 0 ? -t : t;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** Row-wise softmax over rows of {@code width}, max-shifted. */
    static void softmax(Vec in, Vec out, int width) {
        for (int row = 0, n = in.length; row < n; row += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, in.get(row + j));
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                double e = Math.exp(in.get(row + j) - max);
                out.set(row + j, e);
                sum += e;
            }
            for (int j = 0; j < width; j++) {
                out.set(row + j, out.get(row + j) / sum);
            }
        }
    }

    /** dz_j = y_j * (dy_j - sum_k dy_k y_k), row by row. */
    static void softmaxBackward(Vec y, Vec dy, Vec dz, int width, boolean accumulate) {
        for (int row = 0, n = y.length; row < n; row += width) {
            double dot = 0;
            for (int j = 0; j < width; j++) {
                dot += dy.get(row + j) * y.get(row + j);
            }
            for (int j = 0; j < width; j++) {
                double v = y.get(row + j) * (dy.get(row + j) - dot);
                dz.set(row + j, accumulate ? dz.get(row + j) + v : v);
            }
        }
    }
}
