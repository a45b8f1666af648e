package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Padding;
import dev.kiln.runtime.layer.DepthwiseConv2DConfig;
import dev.kiln.runtime.layer.SeparableConv2DConfig;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code DepthwiseConv2D} and {@code SeparableConv2D} straight from Keras's definition: output channel {@code c * dm +
 * m} at every position is the sum over the kernel's taps of input channel {@code c} times {@code kernel[i, j, c, m]},
 * taps in the padding skipped; SeparableConv2D then multiplies each position's {@code in * dm} channels by the
 * pointwise kernel. Backward by the same loops run in reverse.
 */
final class DepthwiseReferences {
    private DepthwiseReferences() {
    }

    /** Sizes of one call: input {@code (h, w, c)}, depth multiplier, window, output grid, and the padding before. */
    private record Dims(int batch, int h, int w, int c, int dm, int kh, int kw, int sh, int sw, int dh, int dw, int oh,
            int ow, int top, int left) {
        static Dims of(INDArray x, int dm, List<Integer> k, List<Integer> s, List<Integer> d, Padding p) {
            long[] shape = x.shape();
            int h = (int) shape[1];
            int w = (int) shape[2];
            int oh = ConvReference.outSize(h, k.get(0), s.get(0), d.get(0), p);
            int ow = ConvReference.outSize(w, k.get(1), s.get(1), d.get(1), p);
            return new Dims((int) shape[0], h, w, (int) shape[3], dm, k.get(0), k.get(1), s.get(0), s.get(1), d.get(0),
                    d.get(1), oh, ow, ConvReference.before(h, oh, k.get(0), s.get(0), d.get(0), p),
                    ConvReference.before(w, ow, k.get(1), s.get(1), d.get(1), p));
        }

        int out() {
            return c * dm;
        }

        int positions() {
            return batch * oh * ow;
        }

        /** The input's flat index under output {@code (b, oy, ox)}, tap {@code (i, j)}, channel {@code ch}; -1 in padding. */
        int input(int b, int oy, int ox, int i, int j, int ch) {
            int iy = oy * sh + i * dh - top;
            int ix = ox * sw + j * dw - left;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                return -1;
            }
            return ((b * h + iy) * w + ix) * c + ch;
        }
    }

    /** The depthwise product, {@code (batch, oh, ow, c * dm)} flat. */
    private static double[] depthwise(Dims d, double[] x, double[] k) {
        double[] z = new double[d.positions() * d.out()];
        for (int b = 0; b < d.batch(); b++) {
            for (int oy = 0; oy < d.oh(); oy++) {
                for (int ox = 0; ox < d.ow(); ox++) {
                    int at = ((b * d.oh() + oy) * d.ow() + ox) * d.out();
                    for (int ch = 0; ch < d.c(); ch++) {
                        for (int m = 0; m < d.dm(); m++) {
                            double s = 0;
                            for (int i = 0; i < d.kh(); i++) {
                                for (int j = 0; j < d.kw(); j++) {
                                    int xi = d.input(b, oy, ox, i, j, ch);
                                    if (xi >= 0) {
                                        s += x[xi] * k[((i * d.kw() + j) * d.c() + ch) * d.dm() + m];
                                    }
                                }
                            }
                            z[at + ch * d.dm() + m] = s;
                        }
                    }
                }
            }
        }
        return z;
    }

    /** Adds the depthwise product's gradients for {@code dz}: into {@code dk} and {@code dx}. */
    private static void depthwiseBackward(Dims d, double[] x, double[] k, double[] dz, double[] dk, double[] dx) {
        for (int b = 0; b < d.batch(); b++) {
            for (int oy = 0; oy < d.oh(); oy++) {
                for (int ox = 0; ox < d.ow(); ox++) {
                    int at = ((b * d.oh() + oy) * d.ow() + ox) * d.out();
                    for (int ch = 0; ch < d.c(); ch++) {
                        for (int m = 0; m < d.dm(); m++) {
                            double g = dz[at + ch * d.dm() + m];
                            for (int i = 0; i < d.kh(); i++) {
                                for (int j = 0; j < d.kw(); j++) {
                                    int xi = d.input(b, oy, ox, i, j, ch);
                                    if (xi >= 0) {
                                        int ki = ((i * d.kw() + j) * d.c() + ch) * d.dm() + m;
                                        dk[ki] += x[xi] * g;
                                        dx[xi] += k[ki] * g;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[] addBias(double[] z, double[] bias) {
        for (int i = 0; i < z.length; i++) {
            z[i] += bias[i % bias.length];
        }
        return z;
    }

    private static double[] columnSums(double[] dz, int width) {
        double[] s = new double[width];
        for (int i = 0; i < dz.length; i++) {
            s[i % width] += dz[i];
        }
        return s;
    }

    private static long[] outShape(Dims d, int channels) {
        return new long[] {d.batch(), d.oh(), d.ow(), channels};
    }

    @AutoService(LayerReference.class)
    public static final class DepthwiseConv2D implements LayerReference<DepthwiseConv2DConfig> {
        @Override
        public Class<DepthwiseConv2DConfig> configType() {
            return DepthwiseConv2DConfig.class;
        }

        private static Dims dims(DepthwiseConv2DConfig c, INDArray x) {
            return Dims.of(x, c.depthMultiplier(), c.kernelSize(), c.strides(), c.dilationRate(), c.padding());
        }

        private static double[] pre(DepthwiseConv2DConfig c, Dims d, INDArray x, LayerWeights w) {
            double[] z = depthwise(d, Naive.values(x), Naive.values(w.get("kernel")));
            return c.useBias() ? addBias(z, Naive.values(w.get("bias"))) : z;
        }

        @Override
        public INDArray forward(DepthwiseConv2DConfig c, INDArray[] inputs, LayerWeights w) {
            Dims d = dims(c, inputs[0]);
            return Naive.array(ActivationReference.apply(c.activation(), pre(c, d, inputs[0], w), d.out()),
                    outShape(d, d.out()), inputs[0]);
        }

        @Override
        public INDArray[] backward(DepthwiseConv2DConfig c, INDArray[] inputs, INDArray output, INDArray dy,
                LayerWeights w) {
            INDArray x = inputs[0];
            Dims d = dims(c, x);
            double[] dz = ActivationReference.backward(c.activation(), pre(c, d, x, w), Naive.values(dy), d.out());
            double[] k = Naive.values(w.get("kernel"));
            double[] dk = new double[k.length];
            double[] dx = new double[(int) x.length()];
            depthwiseBackward(d, Naive.values(x), k, dz, dk, dx);
            w.addGradient("kernel", Naive.array(dk, w.get("kernel").shape(), x));
            if (c.useBias()) {
                w.addGradient("bias", Naive.array(columnSums(dz, d.out()), new long[] {d.out()}, x));
            }
            return new INDArray[] {Naive.array(dx, x.shape(), x)};
        }
    }

    @AutoService(LayerReference.class)
    public static final class SeparableConv2D implements LayerReference<SeparableConv2DConfig> {
        @Override
        public Class<SeparableConv2DConfig> configType() {
            return SeparableConv2DConfig.class;
        }

        private static Dims dims(SeparableConv2DConfig c, INDArray x) {
            return Dims.of(x, c.depthMultiplier(), c.kernelSize(), c.strides(), c.dilationRate(), c.padding());
        }

        /** Each position's {@code in * dm} depthwise channels times the pointwise kernel {@code (in * dm, filters)}. */
        private static double[] pointwise(Dims d, double[] mid, double[] p, int f) {
            double[] z = new double[d.positions() * f];
            for (int q = 0; q < d.positions(); q++) {
                for (int o = 0; o < f; o++) {
                    double s = 0;
                    for (int r = 0; r < d.out(); r++) {
                        s += mid[q * d.out() + r] * p[r * f + o];
                    }
                    z[q * f + o] = s;
                }
            }
            return z;
        }

        private static double[] pre(SeparableConv2DConfig c, Dims d, double[] mid, LayerWeights w) {
            double[] z = pointwise(d, mid, Naive.values(w.get("pointwise_kernel")), c.filters());
            return c.useBias() ? addBias(z, Naive.values(w.get("bias"))) : z;
        }

        @Override
        public INDArray forward(SeparableConv2DConfig c, INDArray[] inputs, LayerWeights w) {
            Dims d = dims(c, inputs[0]);
            double[] mid = depthwise(d, Naive.values(inputs[0]), Naive.values(w.get("depthwise_kernel")));
            Activation act = c.activation();
            return Naive.array(ActivationReference.apply(act, pre(c, d, mid, w), c.filters()),
                    outShape(d, c.filters()), inputs[0]);
        }

        @Override
        public INDArray[] backward(SeparableConv2DConfig c, INDArray[] inputs, INDArray output, INDArray dy,
                LayerWeights w) {
            INDArray x = inputs[0];
            Dims d = dims(c, x);
            int f = c.filters();
            double[] xs = Naive.values(x);
            double[] k = Naive.values(w.get("depthwise_kernel"));
            double[] p = Naive.values(w.get("pointwise_kernel"));
            double[] mid = depthwise(d, xs, k);
            double[] dz = ActivationReference.backward(c.activation(), pre(c, d, mid, w), Naive.values(dy), f);
            double[] dp = new double[p.length];
            double[] dmid = new double[mid.length];
            for (int q = 0; q < d.positions(); q++) {
                for (int r = 0; r < d.out(); r++) {
                    for (int o = 0; o < f; o++) {
                        double g = dz[q * f + o];
                        dp[r * f + o] += mid[q * d.out() + r] * g;
                        dmid[q * d.out() + r] += p[r * f + o] * g;
                    }
                }
            }
            double[] dk = new double[k.length];
            double[] dx = new double[xs.length];
            depthwiseBackward(d, xs, k, dmid, dk, dx);
            w.addGradient("depthwise_kernel", Naive.array(dk, w.get("depthwise_kernel").shape(), x));
            w.addGradient("pointwise_kernel", Naive.array(dp, w.get("pointwise_kernel").shape(), x));
            if (c.useBias()) {
                w.addGradient("bias", Naive.array(columnSums(dz, f), new long[] {f}, x));
            }
            return new INDArray[] {Naive.array(dx, x.shape(), x)};
        }
    }
}
