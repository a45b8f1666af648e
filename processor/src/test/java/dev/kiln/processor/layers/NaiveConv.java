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
