package dev.kiln.benchmarks;

import dev.kiln.runtime.kernel.Vec;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Conv2D} (channels last, kernel {@code (kh, kw, in, out)}) as direct loops, for inputs with few
 * channels (an image's first layer): each output pixel's filters are a sum over the window's taps of an input value
 * times a row of the kernel, a loop over the filters that the JIT vectorizes. With one input channel an im2col row has
 * only {@code kh * kw} elements, too short for a GEMM to reach speed, and the columns are {@code kh * kw} times the
 * input; here nothing is gathered.
 *
 * <p>A candidate of {@link ConvBench}, not a runtime kernel: measured slower than oneDNN's convolution and than the
 * im2col GEMM (17 and 16 ms against 1.3 and 3.8 for W2's conv1 forward and kernel gradient), because the loop over 32
 * filters is shorter than the JIT's unrolled vector loop, which then never runs. Samples run in parallel on the common
 * pool, each copied to the heap; the kernel's gradient is summed per part and the parts' sums added at the end. The
 * geometry arguments are {@code ConvKernel}'s.
 */
final class DirectConv {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private DirectConv() {
    }

    /** {@code y[b, oy, ox, :] = sum over taps (i, j) and channels ch of x[b, iy, ix, ch] * kernel[i, j, ch, :]}. */
    static void forward(INDArray x, INDArray kernel, INDArray y, int outH, int outW, int kh, int kw, int sh,
            int sw, int dh, int dw, int padTop, int padLeft) {
        Window g = Window.of(x, y, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
        FloatBuffer xf = Vec.floats(x);
        FloatBuffer yf = Vec.floats(y);
        FloatBuffer kf = Vec.floats(kernel);
        if (xf == null || yf == null || kf == null) {
            throw new IllegalArgumentException("the direct convolution runs on float32 arrays, got " + x.dataType());
        }
        float[] k = new float[kf.limit()];
        kf.get(0, k);
        IntStream.range(0, g.batch).parallel().forEach(b -> {
            float[][] s = scratch(g.sampleIn(), g.sampleOut(), 0);
            xf.get(b * g.sampleIn(), s[0], 0, g.sampleIn());
            g.forward(s[0], k, s[1]);
            yf.put(b * g.sampleOut(), s[1], 0, g.sampleOut());
        });
    }

    /**
     * {@code dKernel[i, j, ch, :] = sum over samples and output pixels of x[b, iy, ix, ch] * dy[b, oy, ox, :]}
     * (or {@code +=} with {@code accumulate}).
     */
    static void kernelGradient(INDArray x, INDArray dy, INDArray dKernel, boolean accumulate, int outH,
            int outW, int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        Window g = Window.of(x, dy, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
        FloatBuffer xf = Vec.floats(x);
        FloatBuffer gf = Vec.floats(dy);
        FloatBuffer df = Vec.floats(dKernel);
        if (xf == null || gf == null || df == null) {
            throw new IllegalArgumentException("the direct convolution runs on float32 arrays, got " + x.dataType());
        }
        int size = df.limit();
        int parts = Math.min(2, g.batch);
        float[][] sums = new float[parts][size];
        int per = (g.batch + parts - 1) / parts;
        IntStream.range(0, parts).parallel().forEach(part -> {
            float[][] s = scratch(g.sampleIn(), g.sampleOut(), 0);
            for (int b = part * per, end = Math.min(g.batch, b + per); b < end; b++) {
                xf.get(b * g.sampleIn(), s[0], 0, g.sampleIn());
                gf.get(b * g.sampleOut(), s[1], 0, g.sampleOut());
                g.kernelGradient(s[0], s[1], sums[part]);
            }
        });
        for (int part = 1; part < parts; part++) {
            for (int i = 0; i < size; i++) {
                sums[0][i] += sums[part][i];
            }
        }
        if (accumulate) {
            for (int i = 0; i < size; i++) {
                sums[0][i] += df.get(i);
            }
        }
        df.put(0, sums[0]);
    }

    /** One call's shapes: a sample {@code (h, w, c)}, the output grid of {@code filters}, the window. */
    private record Window(int batch, int h, int w, int c, int filters, int outH, int outW, int kh, int kw, int sh,
            int sw, int dh, int dw, int padTop, int padLeft) {
        static Window of(INDArray x, INDArray y, int outH, int outW, int kh, int kw, int sh, int sw, int dh, int dw,
                int padTop, int padLeft) {
            long[] s = x.shape();
            int h = s.length == 4 ? (int) s[1] : 1;
            return new Window((int) s[0], h, (int) s[s.length - 2], (int) s[s.length - 1], (int) y.size(y.rank() - 1),
                    outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
        }

        int sampleIn() {
            return h * w * c;
        }

        int sampleOut() {
            return outH * outW * filters;
        }

        void forward(float[] in, float[] k, float[] out) {
            int f = filters;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int o = (oy * outW + ox) * f;
                    Arrays.fill(out, o, o + f, 0f);
                    for (int i = 0; i < kh; i++) {
                        int iy = oy * sh - padTop + i * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int ix = ox * sw - padLeft + j * dw;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int from = (iy * w + ix) * c;
                            int tap = (i * kw + j) * c * f;
                            for (int ch = 0; ch < c; ch++) {
                                float v = in[from + ch];
                                int row = tap + ch * f;
                                for (int n = 0; n < f; n++) {
                                    out[o + n] += v * k[row + n];
                                }
                            }
                        }
                    }
                }
            }
        }

        void kernelGradient(float[] in, float[] dy, float[] dk) {
            int f = filters;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int o = (oy * outW + ox) * f;
                    for (int i = 0; i < kh; i++) {
                        int iy = oy * sh - padTop + i * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int ix = ox * sw - padLeft + j * dw;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int from = (iy * w + ix) * c;
                            int tap = (i * kw + j) * c * f;
                            for (int ch = 0; ch < c; ch++) {
                                float v = in[from + ch];
                                int row = tap + ch * f;
                                for (int n = 0; n < f; n++) {
                                    dk[row + n] += v * dy[o + n];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static float[][] scratch(int in, int out, int extra) {
        float[][] s = SCRATCH.get();
        if (s[0].length < in) {
            s[0] = new float[in];
        }
        if (s[1].length < out) {
            s[1] = new float[out];
        }
        if (s[2].length < extra) {
            s[2] = new float[extra];
        }
        return s;
    }
}
