package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Padding;
import dev.kiln.runtime.layer.ConvConfig;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code Conv1D} and {@code Conv2D} straight from the definition: for every output cell, the sum over the kernel's
 * taps of input times weight, taps in the padding skipped; backward by the same loops run in reverse. A 1D layer is a
 * 2D one of height 1 (its kernel {@code (k, in, out)} is {@code (1, k, in, out)}).
 */
@AutoService(LayerReference.class)
public final class ConvReference implements LayerReference<ConvConfig> {
    @Override
    public Class<ConvConfig> configType() {
        return ConvConfig.class;
    }

    /** Sizes of one call: input {@code (h, w, c)}, output {@code (oh, ow, f)}, window, and the padding before. */
    private record Dims(int batch, int h, int w, int c, int f, int kh, int kw, int sh, int sw, int dh, int dw, int oh,
            int ow, int top, int left) {
        static Dims of(ConvConfig cfg, INDArray x) {
            long[] s = x.shape();
            boolean two = cfg.rank() == 2;
            int h = two ? (int) s[1] : 1;
            int w = (int) s[s.length - 2];
            List<Integer> k = cfg.kernelSize();
            List<Integer> st = cfg.strides();
            List<Integer> d = cfg.dilationRate();
            int kh = two ? k.get(0) : 1;
            int sh = two ? st.get(0) : 1;
            int dh = two ? d.get(0) : 1;
            int kw = k.get(k.size() - 1);
            int sw = st.get(st.size() - 1);
            int dw = d.get(d.size() - 1);
            int oh = outSize(h, kh, sh, dh, cfg.padding());
            int ow = outSize(w, kw, sw, dw, cfg.padding());
            return new Dims((int) s[0], h, w, (int) s[s.length - 1], cfg.filters(), kh, kw, sh, sw, dh, dw, oh, ow,
                    before(h, oh, kh, sh, dh, cfg.padding()), before(w, ow, kw, sw, dw, cfg.padding()));
        }
    }

    /** Keras: valid {@code floor((n - (k-1)d - 1) / s) + 1}; same and causal {@code ceil(n / s)}. */
    static int outSize(int n, int k, int s, int d, Padding p) {
        return p != Padding.VALID ? (n + s - 1) / s : (n - (k - 1) * d - 1) / s + 1;
    }

    /** TensorFlow's same padding puts half the zeros before, the odd one after; causal puts all {@code (k-1)d} before. */
    static int before(int n, int out, int k, int s, int d, Padding p) {
        if (p == Padding.CAUSAL) {
            return (k - 1) * d;
        }
        return p == Padding.SAME ? Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0) / 2 : 0;
    }

    @Override
    public INDArray forward(ConvConfig c, INDArray[] inputs, LayerWeights w) {
        Dims d = Dims.of(c, inputs[0]);
        double[] z = preActivation(c, d, inputs[0], w);
        return Naive.array(ActivationReference.apply(c.activation(), z, d.f()), outShape(c, d), inputs[0]);
    }

    @Override
    public INDArray[] backward(ConvConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        Dims d = Dims.of(c, x);
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] dz = ActivationReference.backward(c.activation(), preActivation(c, d, x, w), Naive.values(dy), d.f());
        double[] dk = new double[k.length];
        double[] db = new double[d.f()];
        double[] dx = new double[xs.length];
        for (int b = 0; b < d.batch(); b++) {
            for (int oy = 0; oy < d.oh(); oy++) {
                for (int ox = 0; ox < d.ow(); ox++) {
                    for (int f = 0; f < d.f(); f++) {
                        double g = dz[((b * d.oh() + oy) * d.ow() + ox) * d.f() + f];
                        db[f] += g;
                        for (int i = 0; i < d.kh(); i++) {
                            for (int j = 0; j < d.kw(); j++) {
                                int iy = oy * d.sh() + i * d.dh() - d.top();
                                int ix = ox * d.sw() + j * d.dw() - d.left();
                                if (iy < 0 || iy >= d.h() || ix < 0 || ix >= d.w()) {
                                    continue;
                                }
                                for (int ch = 0; ch < d.c(); ch++) {
                                    int xi = ((b * d.h() + iy) * d.w() + ix) * d.c() + ch;
                                    int ki = ((i * d.kw() + j) * d.c() + ch) * d.f() + f;
                                    dk[ki] += xs[xi] * g;
                                    dx[xi] += k[ki] * g;
                                }
                            }
                        }
                    }
                }
            }
        }
        w.addGradient("kernel", Naive.array(dk, w.get("kernel").shape(), x));
        if (c.useBias()) {
            w.addGradient("bias", Naive.array(db, new long[] {d.f()}, x));
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    private static double[] preActivation(ConvConfig c, Dims d, INDArray x, LayerWeights w) {
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] bias = c.useBias() ? Naive.values(w.get("bias")) : new double[d.f()];
        double[] z = new double[d.batch() * d.oh() * d.ow() * d.f()];
        for (int b = 0; b < d.batch(); b++) {
            for (int oy = 0; oy < d.oh(); oy++) {
                for (int ox = 0; ox < d.ow(); ox++) {
                    for (int f = 0; f < d.f(); f++) {
                        double s = bias[f];
                        for (int i = 0; i < d.kh(); i++) {
                            for (int j = 0; j < d.kw(); j++) {
                                int iy = oy * d.sh() + i * d.dh() - d.top();
                                int ix = ox * d.sw() + j * d.dw() - d.left();
                                if (iy < 0 || iy >= d.h() || ix < 0 || ix >= d.w()) {
                                    continue;
                                }
                                for (int ch = 0; ch < d.c(); ch++) {
                                    s += xs[((b * d.h() + iy) * d.w() + ix) * d.c() + ch]
                                            * k[((i * d.kw() + j) * d.c() + ch) * d.f() + f];
                                }
                            }
                        }
                        z[((b * d.oh() + oy) * d.ow() + ox) * d.f() + f] = s;
                    }
                }
            }
        }
        return z;
    }

    private static long[] outShape(ConvConfig c, Dims d) {
        return c.rank() == 2 ? new long[] {d.batch(), d.oh(), d.ow(), d.f()} : new long[] {d.batch(), d.ow(), d.f()};
    }
}
