package dev.kiln.runtime.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic of Keras's {@code DepthwiseConv2D} (and the first step of {@code SeparableConv2D}) over the rows that
 * {@link ConvKernel#im2col} gathers: row {@code p} holds the receptive field of one output position, its element {@code
 * t * channels + c} the tap {@code t} of channel {@code c}, which is also the row of the kernel {@code (kh, kw,
 * channels, depthMultiplier)} seen as a matrix {@code (taps * channels, depthMultiplier)}. Each channel meets only its
 * own filters, so this is not one GEMM but {@code channels} narrow ones, done here as plain loops over the planned
 * buffers; output channel {@code c * depthMultiplier + m} as in Keras.
 *
 * <p>Rows (forward, input gradient) or kernel rows (kernel gradient) are shared out to Kiln's threads in blocks, so
 * that no two threads write the same element. In float32 the forward pass and the rows' gradient copy each block onto
 * the heap (a thread's scratch, grown once), where the loop over channels is contiguous and the JIT vectorizes it,
 * and write it back with one bulk copy.
 */
public final class DepthwiseKernel {
    private static final int BLOCKS = 64;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private DepthwiseKernel() {
    }

    /** {@code y[p, c * dm + m] = sum over t of columns[p, t * channels + c] * kernel[t * channels + c, m]}. */
    public static void forward(INDArray columns, INDArray kernel, INDArray y, int channels, int depthMultiplier) {
        Vec col = Vec.of(columns);
        Vec k = Vec.of(kernel);
        Vec out = Vec.of(y);
        int width = width(col, k, channels, depthMultiplier);
        int rows = rows(col, width, out, channels * depthMultiplier, "y");
        int taps = width / channels;
        int dm = depthMultiplier;
        FloatBuffer cf = Vec.floats(columns);
        FloatBuffer kf = Vec.floats(kernel);
        FloatBuffer yf = Vec.floats(y);
        if (cf != null && kf != null && yf != null) {
            int outWidth = channels * dm;
            blocks(rows, (from, to) -> {
                float[][] s = scratch((to - from) * width, k.length(), (to - from) * outWidth);
                float[] a = s[0];
                float[] kk = s[1];
                float[] o = s[2];
                cf.get(from * width, a, 0, (to - from) * width);
                kf.get(0, kk, 0, k.length());
                Arrays.fill(o, 0, (to - from) * outWidth, 0f);
                for (int p = 0; p < to - from; p++) {
                    int in = p * width;
                    int at = p * outWidth;
                    for (int t = 0; t < taps; t++) {
                        int row = in + t * channels;
                        int kr = t * channels * dm;
                        if (dm == 1) {
                            for (int c = 0; c < channels; c++) {
                                o[at + c] += a[row + c] * kk[kr + c];
                            }
                        } else {
                            for (int c = 0; c < channels; c++) {
                                float v = a[row + c];
                                for (int m = 0; m < dm; m++) {
                                    o[at + c * dm + m] += v * kk[kr + c * dm + m];
                                }
                            }
                        }
                    }
                }
                yf.put(from * outWidth, o, 0, (to - from) * outWidth);
            });
            return;
        }
        blocks(rows, (from, to) -> {
            for (int p = from; p < to; p++) {
                int in = p * width;
                int o = p * channels * dm;
                for (int c = 0; c < channels; c++) {
                    for (int m = 0; m < dm; m++) {
                        double s = 0;
                        for (int t = 0; t < taps; t++) {
                            s += col.get(in + t * channels + c) * k.get((t * channels + c) * dm + m);
                        }
                        out.set(o + c * dm + m, s);
                    }
                }
            }
        });
    }

    /**
     * {@code dKernel[t * channels + c, m] = sum over p of columns[p, t * channels + c] * dy[p, c * dm + m]}, written, or
     * added with {@code accumulate} (a shared layer's later application).
     */
    public static void kernelGradient(INDArray columns, INDArray dy, INDArray dKernel, boolean accumulate,
            int channels, int depthMultiplier) {
        Vec col = Vec.of(columns);
        Vec g = Vec.of(dy);
        Vec dk = Vec.of(dKernel);
        int width = width(col, dk, channels, depthMultiplier);
        int rows = rows(col, width, g, channels * depthMultiplier, "dy");
        int dm = depthMultiplier;
        int out = channels * dm;
        blocks(width, (from, to) -> {
            for (int r = from; r < to; r++) {
                int c = r % channels;
                for (int m = 0; m < dm; m++) {
                    double s = 0;
                    for (int p = 0; p < rows; p++) {
                        s += col.get(p * width + r) * g.get(p * out + c * dm + m);
                    }
                    int at = r * dm + m;
                    dk.set(at, accumulate ? dk.get(at) + s : s);
                }
            }
        });
    }

    /** {@code dColumns[p, t * channels + c] = sum over m of kernel[t * channels + c, m] * dy[p, c * dm + m]}. */
    public static void columnsGradient(INDArray dy, INDArray kernel, INDArray dColumns, int channels,
            int depthMultiplier) {
        Vec g = Vec.of(dy);
        Vec k = Vec.of(kernel);
        Vec dc = Vec.of(dColumns);
        int width = width(dc, k, channels, depthMultiplier);
        int rows = rows(dc, width, g, channels * depthMultiplier, "dy");
        int dm = depthMultiplier;
        int out = channels * dm;
        FloatBuffer gf = Vec.floats(dy);
        FloatBuffer kf = Vec.floats(kernel);
        FloatBuffer df = Vec.floats(dColumns);
        if (gf != null && kf != null && df != null) {
            int taps = width / channels;
            blocks(rows, (from, to) -> {
                float[][] s = scratch((to - from) * out, k.length(), (to - from) * width);
                float[] g2 = s[0];
                float[] kk = s[1];
                float[] d2 = s[2];
                gf.get(from * out, g2, 0, (to - from) * out);
                kf.get(0, kk, 0, k.length());
                for (int p = 0; p < to - from; p++) {
                    int at = p * out;
                    for (int t = 0; t < taps; t++) {
                        int row = p * width + t * channels;
                        int kr = t * channels * dm;
                        if (dm == 1) {
                            for (int c = 0; c < channels; c++) {
                                d2[row + c] = kk[kr + c] * g2[at + c];
                            }
                        } else {
                            for (int c = 0; c < channels; c++) {
                                float sum = 0;
                                for (int m = 0; m < dm; m++) {
                                    sum += kk[kr + c * dm + m] * g2[at + c * dm + m];
                                }
                                d2[row + c] = sum;
                            }
                        }
                    }
                }
                df.put(from * width, d2, 0, (to - from) * width);
            });
            return;
        }
        blocks(rows, (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int r = 0; r < width; r++) {
                    int c = r % channels;
                    double s = 0;
                    for (int m = 0; m < dm; m++) {
                        s += k.get(r * dm + m) * g.get(p * out + c * dm + m);
                    }
                    dc.set(p * width + r, s);
                }
            }
        });
    }

    /** Elements of one gathered row, {@code taps * channels}, as the kernel's size gives it. */
    private static int width(Vec columns, Vec kernel, int channels, int depthMultiplier) {
        if (kernel.length() % (channels * depthMultiplier) != 0) {
            throw new IllegalArgumentException("a depthwise kernel of " + kernel.length() + " elements does not hold "
                    + channels + " channels x " + depthMultiplier + " filters per tap");
        }
        return kernel.length() / depthMultiplier;
    }

    private static int rows(Vec columns, int width, Vec other, int otherWidth, String name) {
        int rows = columns.length() / width;
        if ((long) rows * width != columns.length() || (long) rows * otherWidth != other.length()) {
            throw new IllegalArgumentException("columns of " + columns.length() + " elements (rows of " + width
                    + ") and " + name + " of " + other.length() + " (rows of " + otherWidth + ") disagree");
        }
        return rows;
    }

    private static float[][] scratch(int a, int b, int c) {
        float[][] s = SCRATCH.get();
        int[] sizes = {a, b, c};
        for (int i = 0; i < 3; i++) {
            if (s[i].length < sizes[i]) {
                s[i] = new float[sizes[i]];
            }
        }
        return s;
    }

    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /** {@code range} over {@code 0 .. n - 1} in up to {@link #BLOCKS} contiguous blocks, shared out to the threads. */
    private static void blocks(int n, Range range) {
        int blocks = Math.max(1, Math.min(BLOCKS, n));
        Workers.share(blocks, b -> range.run((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks)));
    }
}
