package dev.kiln.runtime.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code MaxPooling1D/2D} and {@code AveragePooling1D/2D} (channels last): each output cell is the maximum or
 * mean of a {@code ph x pw} window of its channel, placed at {@code (oy * sh - padTop, ox * sw - padLeft)}. Cells of
 * the window outside the input (Keras's {@code same} padding) take no part: the maximum ignores them and the mean
 * divides by the cells inside. A rank-3 array {@code (batch, steps, channels)} is a row of height 1. The maximum's
 * position within its window ({@code i * pw + j}) is kept in {@code argmax}, of the output's shape, for backward.
 * Samples run in parallel over Kiln's threads; max pooling in float32 works on each sample copied to the heap (for a
 * 2x2 pool of (128, 26, 26, 32) on the loaded 2-core machine: 35 ms through element access, 16-24 ms so).
 */
public final class PoolingKernel {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private PoolingKernel() {
    }

    /** {@code y = max over each window of x}, and where each maximum lies in {@code argmax}. */
    public static void maxForward(INDArray x, INDArray y, INDArray argmax, int ph, int pw, int sh, int sw, int padTop,
            int padLeft) {
        Grid g = Grid.of(x, y, ph, pw, sh, sw, padTop, padLeft);
        FloatBuffer xf = Vec.floats(x);
        FloatBuffer yf = Vec.floats(y);
        FloatBuffer af = Vec.floats(argmax);
        if (xf != null && yf != null && af != null) {
            int sampleIn = g.h * g.w * g.c;
            int sampleOut = g.outH * g.outW * g.c;
            Workers.share(g.batch, b -> {
                float[][] s = scratch(sampleIn, sampleOut);
                xf.get(b * sampleIn, s[0], 0, sampleIn);
                maxSample(s[0], s[1], s[2], g, ph, pw, sh, sw, padTop, padLeft);
                yf.put(b * sampleOut, s[1], 0, sampleOut);
                af.put(b * sampleOut, s[2], 0, sampleOut);
            });
            return;
        }
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Vec arg = Vec.of(argmax);
        Workers.share(g.batch, b -> {
            double[] best = new double[g.c];
            int[] where = new int[g.c];
            for (int oy = 0; oy < g.outH; oy++) {
                for (int ox = 0; ox < g.outW; ox++) {
                    Arrays.fill(best, Double.NEGATIVE_INFINITY);
                    Arrays.fill(where, -1);
                    for (int i = 0; i < ph; i++) {
                        int iy = oy * sh - padTop + i;
                        for (int j = 0; j < pw; j++) {
                            int ix = ox * sw - padLeft + j;
                            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
                                continue;
                            }
                            int from = g.input(b, iy, ix);
                            for (int k = 0; k < g.c; k++) {
                                double v = in.get(from + k);
                                if (v > best[k] || where[k] < 0) {
                                    best[k] = v;
                                    where[k] = i * pw + j;
                                }
                            }
                        }
                    }
                    int to = g.output(b, oy, ox);
                    for (int k = 0; k < g.c; k++) {
                        out.set(to + k, best[k]);
                        arg.set(to + k, where[k]);
                    }
                }
            }
        });
    }

    /** {@code dx} (=, or += with {@code accumulate}) gets each {@code dy} at the position of its window's maximum. */
    public static void maxBackward(INDArray dy, INDArray argmax, INDArray dx, boolean accumulate, int ph, int pw,
            int sh, int sw, int padTop, int padLeft) {
        Grid g = Grid.of(dx, dy, ph, pw, sh, sw, padTop, padLeft);
        FloatBuffer gf = Vec.floats(dy);
        FloatBuffer af = Vec.floats(argmax);
        FloatBuffer df = Vec.floats(dx);
        if (gf != null && af != null && df != null) {
            int sampleIn = g.h * g.w * g.c;
            int sampleOut = g.outH * g.outW * g.c;
            Workers.share(g.batch, b -> {
                float[][] s = scratch(sampleIn, sampleOut);
                if (accumulate) {
                    df.get(b * sampleIn, s[0], 0, sampleIn);
                } else {
                    Arrays.fill(s[0], 0, sampleIn, 0f);
                }
                gf.get(b * sampleOut, s[1], 0, sampleOut);
                af.get(b * sampleOut, s[2], 0, sampleOut);
                for (int oy = 0, o = 0; oy < g.outH; oy++) {
                    for (int ox = 0; ox < g.outW; ox++) {
                        for (int k = 0; k < g.c; k++, o++) {
                            int cell = (int) s[2][o];
                            int iy = oy * sh - padTop + cell / pw;
                            int ix = ox * sw - padLeft + cell % pw;
                            s[0][(iy * g.w + ix) * g.c + k] += s[1][o];
                        }
                    }
                }
                df.put(b * sampleIn, s[0], 0, sampleIn);
            });
            return;
        }
        Vec grad = Vec.of(dy);
        Vec arg = Vec.of(argmax);
        Vec d = Vec.of(dx);
        Workers.share(g.batch, b -> {
            if (!accumulate) {
                g.clearInput(d, b);
            }
            for (int oy = 0; oy < g.outH; oy++) {
                for (int ox = 0; ox < g.outW; ox++) {
                    int at = g.output(b, oy, ox);
                    for (int k = 0; k < g.c; k++) {
                        int w = (int) arg.get(at + k);
                        int iy = oy * sh - padTop + w / pw;
                        int ix = ox * sw - padLeft + w % pw;
                        int to = g.input(b, iy, ix) + k;
                        d.set(to, d.get(to) + grad.get(at + k));
                    }
                }
            }
        });
    }

    /** {@code y = mean over each window's cells inside x}. */
    public static void averageForward(INDArray x, INDArray y, int ph, int pw, int sh, int sw, int padTop,
            int padLeft) {
        Grid g = Grid.of(x, y, ph, pw, sh, sw, padTop, padLeft);
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Workers.share(g.batch, b -> {
            double[] sum = new double[g.c];
            for (int oy = 0; oy < g.outH; oy++) {
                for (int ox = 0; ox < g.outW; ox++) {
                    Arrays.fill(sum, 0);
                    int cells = 0;
                    for (int i = 0; i < ph; i++) {
                        int iy = oy * sh - padTop + i;
                        for (int j = 0; j < pw; j++) {
                            int ix = ox * sw - padLeft + j;
                            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
                                continue;
                            }
                            cells++;
                            int from = g.input(b, iy, ix);
                            for (int k = 0; k < g.c; k++) {
                                sum[k] += in.get(from + k);
                            }
                        }
                    }
                    int to = g.output(b, oy, ox);
                    for (int k = 0; k < g.c; k++) {
                        out.set(to + k, sum[k] / cells);
                    }
                }
            }
        });
    }

    /** {@code dx} (=, or += with {@code accumulate}) gets {@code dy / cells} on every cell of each window. */
    public static void averageBackward(INDArray dy, INDArray dx, boolean accumulate, int ph, int pw, int sh, int sw,
            int padTop, int padLeft) {
        Grid g = Grid.of(dx, dy, ph, pw, sh, sw, padTop, padLeft);
        Vec grad = Vec.of(dy);
        Vec d = Vec.of(dx);
        Workers.share(g.batch, b -> {
            if (!accumulate) {
                g.clearInput(d, b);
            }
            for (int oy = 0; oy < g.outH; oy++) {
                for (int ox = 0; ox < g.outW; ox++) {
                    int y0 = Math.max(oy * sh - padTop, 0);
                    int y1 = Math.min(oy * sh - padTop + ph, g.h);
                    int x0 = Math.max(ox * sw - padLeft, 0);
                    int x1 = Math.min(ox * sw - padLeft + pw, g.w);
                    int cells = (y1 - y0) * (x1 - x0);
                    int at = g.output(b, oy, ox);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int to = g.input(b, iy, ix);
                            for (int k = 0; k < g.c; k++) {
                                d.set(to + k, d.get(to + k) + grad.get(at + k) / cells);
                            }
                        }
                    }
                }
            }
        });
    }

    /** One float32 sample's maxima and their places: {@code in} is the sample, {@code out} and {@code arg} the grid. */
    private static void maxSample(float[] in, float[] out, float[] arg, Grid g, int ph, int pw, int sh, int sw,
            int padTop, int padLeft) {
        int c = g.c;
        int h = g.h;
        int w = g.w;
        int outH = g.outH;
        int outW = g.outW;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = (oy * outW + ox) * c;
                boolean first = true;
                for (int i = 0; i < ph; i++) {
                    int iy = oy * sh - padTop + i;
                    for (int j = 0; j < pw; j++) {
                        int ix = ox * sw - padLeft + j;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                            continue;
                        }
                        int from = (iy * w + ix) * c;
                        float cell = i * pw + j;
                        if (first) {
                            System.arraycopy(in, from, out, o, c);
                            Arrays.fill(arg, o, o + c, cell);
                            first = false;
                            continue;
                        }
                        for (int k = 0; k < c; k++) { // branch-free, so that the JIT can vectorize it
                            float v = in[from + k];
                            boolean larger = v > out[o + k];
                            out[o + k] = larger ? v : out[o + k];
                            arg[o + k] = larger ? cell : arg[o + k];
                        }
                    }
                }
            }
        }
    }

    private static float[][] scratch(int in, int out) {
        float[][] s = SCRATCH.get();
        if (s[0].length < in) {
            s[0] = new float[in];
        }
        if (s[1].length < out) {
            s[1] = new float[out];
            s[2] = new float[out];
        }
        return s;
    }

    /** The input sample {@code (h, w, c)} and the output grid of one call, with flat offsets into both. */
    private static final class Grid {
        final int batch;
        final int h;
        final int w;
        final int c;
        final int outH;
        final int outW;

        private Grid(int batch, int h, int w, int c, int outH, int outW) {
            this.batch = batch;
            this.h = h;
            this.w = w;
            this.c = c;
            this.outH = outH;
            this.outW = outW;
        }

        static Grid of(INDArray image, INDArray pooled, int ph, int pw, int sh, int sw, int padTop, int padLeft) {
            long[] s = image.shape();
            long[] o = pooled.shape();
            boolean twoD = s.length == 4;
            return new Grid((int) s[0], twoD ? (int) s[1] : 1, (int) s[s.length - 2], (int) s[s.length - 1],
                    twoD ? (int) o[1] : 1, (int) o[o.length - 2]);
        }

        int input(int b, int iy, int ix) {
            return ((b * h + iy) * w + ix) * c;
        }

        int output(int b, int oy, int ox) {
            return ((b * outH + oy) * outW + ox) * c;
        }

        void clearInput(Vec d, int b) {
            for (int i = b * h * w * c, end = (b + 1) * h * w * c; i < end; i++) {
                d.set(i, 0);
            }
        }
    }
}
