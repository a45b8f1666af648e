package dev.kiln.processor.layers;

import dev.kiln.runtime.KilnModel;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions of the layer tests written out once more from Keras's definitions, independent of the kernels and
 * of the runtime's references: TensorFlow's padding, the depthwise product, the pointwise one, and Conv2DTranspose as
 * the scatter of each input pixel times the kernel onto the output. Arrays are one sample, channels last, flat.
 */
final class NaiveConv {
    private NaiveConv() {
    }

    /** Outputs along an axis of {@code n}: same {@code ceil(n / s)}, valid {@code floor((n - (k-1)d - 1) / s) + 1}. */
    static int out(int n, int k, int s, int d, boolean same) {
        return same ? (n + s - 1) / s : (n - (k - 1) * d - 1) / s + 1;
    }

    /** Zeros before the first cell: half of {@code max((out - 1) s + (k - 1) d + 1 - n, 0)} under same, else none. */
    static int before(int n, int k, int s, int d, boolean same) {
        return same ? Math.max((out(n, k, s, d, true) - 1) * s + (k - 1) * d + 1 - n, 0) / 2 : 0;
    }

    /** {@code y[oy, ox, c * dm + m] = sum over (i, j) of x[oy*s + i*d - top, ox*s + j*d - left, c] k[i, j, c, m]}. */
    static double[] depthwise(double[] x, int h, int w, int c, double[] k, int kh, int kw, int dm, int s, int d,
            boolean same) {
        int oh = out(h, kh, s, d, same);
        int ow = out(w, kw, s, d, same);
        int top = before(h, kh, s, d, same);
        int left = before(w, kw, s, d, same);
        double[] y = new double[oh * ow * c * dm];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int m = 0; m < dm; m++) {
                        double sum = 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = oy * s + i * d - top;
                                int ix = ox * s + j * d - left;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    sum += x[(iy * w + ix) * c + ch] * k[((i * kw + j) * c + ch) * dm + m];
                                }
                            }
                        }
                        y[((oy * ow) + ox) * c * dm + ch * dm + m] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** {@code y[p, o] = sum over r of x[p, r] k[r, o] + bias[o]}: a 1x1 convolution (or Dense) on rows of {@code in}. */
    static double[] pointwise(double[] x, int in, double[] k, int f, double[] bias) {
        int rows = x.length / in;
        double[] y = new double[rows * f];
        for (int p = 0; p < rows; p++) {
            for (int o = 0; o < f; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int r = 0; r < in; r++) {
                    sum += x[p * in + r] * k[r * f + o];
                }
                y[p * f + o] = sum;
            }
        }
        return y;
    }

    /**
     * Keras's transposed output length: valid {@code (n - 1) s + max(k', s)}, same {@code n s}; with an output padding
     * {@code op >= 0}, valid {@code (n - 1) s + k' + op}, same {@code (n - 1) s + k' % 2 + op}.
     */
    static int transposedOut(int n, int k, int s, int d, boolean same, int op) {
        int span = (k - 1) * d + 1;
        if (!same) {
            return (n - 1) * s + (op < 0 ? Math.max(span, s) : span + op);
        }
        return op < 0 ? n * s : (n - 1) * s + span % 2 + op;
    }

    /**
     * Conv2DTranspose as TensorFlow's {@code conv2d_transpose} with the output size given: the adjoint of a convolution
     * whose input is the output {@code (L_h, L_w)}; under same its padding before is half of {@code (n - 1) s + k' - L}
     * (TensorFlow's rule), under valid none. Kernel {@code (kh, kw, f, c)}.
     */
    static double[] transposed(double[] x, int h, int w, int c, double[] k, int kh, int kw, int f, int sh, int sw,
            int d, boolean same, int oph, int opw) {
        int lh = transposedOut(h, kh, sh, d, same, oph);
        int lw = transposedOut(w, kw, sw, d, same, opw);
        int top = same ? Math.max((h - 1) * sh + (kh - 1) * d + 1 - lh, 0) / 2 : 0;
        int left = same ? Math.max((w - 1) * sw + (kw - 1) * d + 1 - lw, 0) / 2 : 0;
        double[] y = new double[lh * lw * f];
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int oy = iy * sh + i * d - top;
                        int ox = ix * sw + j * d - left;
                        if (oy < 0 || oy >= lh || ox < 0 || ox >= lw) {
                            continue;
                        }
                        for (int o = 0; o < f; o++) {
                            for (int ch = 0; ch < c; ch++) {
                                y[(oy * lw + ox) * f + o] += x[(iy * w + ix) * c + ch] * k[((i * kw + j) * f + o) * c + ch];
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    static double[] addBias(double[] y, double[] bias) {
        for (int i = 0; i < y.length; i++) {
            y[i] += bias[i % bias.length];
        }
        return y;
    }

    /** Random weights in [-1, 1) set into the model; returns them as the model now holds them. */
    static Map<String, INDArray> randomWeights(KilnModel m, SplittableRandom random) {
        Map<String, INDArray> w = m.getWeights();
        w.replaceAll((k, v) -> Nd4j.create(random.doubles(v.length(), -1, 1).toArray(), v.shape(), 'c'));
        m.setWeights(w);
        return m.getWeights();
    }

    static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }
}
