package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Padding;
import dev.kiln.runtime.layer.Conv2DTransposeConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code Conv2DTranspose} straight from the definition: every input pixel {@code (iy, ix)} times {@code kernel[i, j, f,
 * c]} added onto output cell {@code (iy * sh + i * dh - cropTop, ix * sw + j * dw - cropLeft)} when it lies inside the
 * output, whose size is Keras's {@code compute_conv_transpose_output_shape}; then bias and activation. Backward by the
 * same loops in reverse.
 */
@AutoService(LayerReference.class)
public final class Conv2DTransposeReference implements LayerReference<Conv2DTransposeConfig> {
    @Override
    public Class<Conv2DTransposeConfig> configType() {
        return Conv2DTransposeConfig.class;
    }

    /** Keras's output length along one axis (outputPadding -1 for None). */
    static int outSize(int n, int k, int s, int d, Padding p, int outputPadding) {
        int span = (k - 1) * d + 1;
        if (p == Padding.VALID) {
            return (n - 1) * s + (outputPadding < 0 ? Math.max(span, s) : span + outputPadding);
        }
        return outputPadding < 0 ? n * s : (n - 1) * s + span % 2 + outputPadding;
    }

    /** Keras's JAX padding, {@code leftPad}, turned into the cells cut before: {@code span - 1 - leftPad}. */
    static int cropBefore(int k, int s, int d, Padding p, int outputPadding) {
        int span = (k - 1) * d + 1;
        if (p == Padding.VALID) {
            return 0;
        }
        int padLength = outputPadding < 0 ? s + span - 2 : span + span % 2 - 2 + outputPadding;
        return span - 1 - Math.min(padLength / 2 + padLength % 2, span - 1);
    }

    private record Dims(int batch, int h, int w, int c, int f, int kh, int kw, int sh, int sw, int dh, int dw, int oh,
            int ow, int top, int left) {
        static Dims of(Conv2DTransposeConfig cfg, INDArray x) {
            long[] s = x.shape();
            int h = (int) s[1];
            int w = (int) s[2];
            int kh = cfg.kernelSize().get(0);
            int kw = cfg.kernelSize().get(1);
            int sh = cfg.strides().get(0);
            int sw = cfg.strides().get(1);
            int dh = cfg.dilationRate().get(0);
            int dw = cfg.dilationRate().get(1);
            int ph = cfg.outputPadding().isEmpty() ? -1 : cfg.outputPadding().get(0);
            int pw = cfg.outputPadding().isEmpty() ? -1 : cfg.outputPadding().get(1);
            return new Dims((int) s[0], h, w, (int) s[3], cfg.filters(), kh, kw, sh, sw, dh, dw,
                    outSize(h, kh, sh, dh, cfg.padding(), ph), outSize(w, kw, sw, dw, cfg.padding(), pw),
                    cropBefore(kh, sh, dh, cfg.padding(), ph), cropBefore(kw, sw, dw, cfg.padding(), pw));
        }
    }

    /** Calls {@code visit(xi, ki, yi)} for every (input element, kernel element, output element) product. */
    private interface Visit {
        void at(int xi, int ki, int yi);
    }

    private static void each(Dims d, Visit v) {
        for (int b = 0; b < d.batch(); b++) {
            for (int iy = 0; iy < d.h(); iy++) {
                for (int ix = 0; ix < d.w(); ix++) {
                    for (int i = 0; i < d.kh(); i++) {
                        for (int j = 0; j < d.kw(); j++) {
                            int oy = iy * d.sh() + i * d.dh() - d.top();
                            int ox = ix * d.sw() + j * d.dw() - d.left();
                            if (oy < 0 || oy >= d.oh() || ox < 0 || ox >= d.ow()) {
                                continue;
                            }
                            for (int f = 0; f < d.f(); f++) {
                                for (int ch = 0; ch < d.c(); ch++) {
                                    v.at(((b * d.h() + iy) * d.w() + ix) * d.c() + ch,
                                            ((i * d.kw() + j) * d.f() + f) * d.c() + ch,
                                            ((b * d.oh() + oy) * d.ow() + ox) * d.f() + f);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[] preActivation(Conv2DTransposeConfig c, Dims d, INDArray x, LayerWeights w) {
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] z = new double[d.batch() * d.oh() * d.ow() * d.f()];
        each(d, (xi, ki, yi) -> z[yi] += xs[xi] * k[ki]);
        if (c.useBias()) {
            double[] bias = Naive.values(w.get("bias"));
            for (int i = 0; i < z.length; i++) {
                z[i] += bias[i % d.f()];
            }
        }
        return z;
    }

    @Override
    public INDArray forward(Conv2DTransposeConfig c, INDArray[] inputs, LayerWeights w) {
        Dims d = Dims.of(c, inputs[0]);
        return Naive.array(ActivationReference.apply(c.activation(), preActivation(c, d, inputs[0], w), d.f()),
                new long[] {d.batch(), d.oh(), d.ow(), d.f()}, inputs[0]);
    }

    @Override
    public INDArray[] backward(Conv2DTransposeConfig c, INDArray[] inputs, INDArray output, INDArray dy,
            LayerWeights w) {
        INDArray x = inputs[0];
        Dims d = Dims.of(c, x);
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] dz = ActivationReference.backward(c.activation(), preActivation(c, d, x, w), Naive.values(dy), d.f());
        double[] dk = new double[k.length];
        double[] dx = new double[xs.length];
        each(d, (xi, ki, yi) -> {
            dk[ki] += xs[xi] * dz[yi];
            dx[xi] += k[ki] * dz[yi];
        });
        w.addGradient("kernel", Naive.array(dk, w.get("kernel").shape(), x));
        if (c.useBias()) {
            double[] db = new double[d.f()];
            for (int i = 0; i < dz.length; i++) {
                db[i % d.f()] += dz[i];
            }
            w.addGradient("bias", Naive.array(db, new long[] {d.f()}, x));
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }
}
