package dev.kiln.runtime.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data movement of Keras's {@code Conv1D} and {@code Conv2D} (channels last), which become one GEMM each way:
 * {@link #im2col} lays every output position's receptive field out as a row, {@code (batch * outH * outW, kh * kw *
 * channels)}, in the order of the kernel's {@code (kh, kw, in, out)} layout, so that {@code y = columns @ kernel}; and
 * {@link #col2im} adds the rows of {@code dColumns = dy @ kernel^T} back onto the input positions they came from.
 *
 * <p>A rank-3 array {@code (batch, steps, channels)} is a 1D signal: one row of height 1. Samples run in parallel over
 * Kiln's threads; in float32 each sample is gathered on the heap (where {@code System.arraycopy} moves a pixel's
 * channels at once) and written back with one bulk copy.
 */
public final class ConvKernel {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private ConvKernel() {
    }

    /** One call's shapes: the input sample {@code (h, w, c)}, the output grid, the window and its placement. */
    private record Geometry(int h, int w, int c, int outH, int outW, int kh, int kw, int sh, int sw, int dh, int dw,
            int padTop, int padLeft) {
        int sampleIn() {
            return h * w * c;
        }

        int sampleColumns() {
            return outH * outW * kh * kw * c;
        }
    }

    /**
     * {@code columns[(b, oy, ox), (i, j, ch)] = x[b, oy * sh - padTop + i * dh, ox * sw - padLeft + j * dw, ch]}, zero
     * where that position lies in the padding.
     */
    public static void im2col(INDArray x, INDArray columns, int outH, int outW, int kh, int kw, int sh, int sw, int dh,
            int dw, int padTop, int padLeft) {
        Geometry g = geometry(x, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
        int batch = check(x, columns, g);
        FloatBuffer xf = Vec.floats(x);
        FloatBuffer cf = Vec.floats(columns);
        if (xf != null && cf != null) {
            Workers.share(batch, b -> {
                float[][] s = scratch(g.sampleIn(), g.sampleColumns());
                xf.get(b * g.sampleIn(), s[0], 0, g.sampleIn());
                gather(s[0], s[1], g);
                cf.put(b * g.sampleColumns(), s[1], 0, g.sampleColumns());
            });
            return;
        }
        Vec in = Vec.of(x);
        Vec out = Vec.of(columns);
        double[] sample = new double[g.sampleIn()];
        double[] rows = new double[g.sampleColumns()];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = in.get(b * sample.length + i);
            }
            gather(sample, rows, g);
            for (int i = 0; i < rows.length; i++) {
                out.set(b * rows.length + i, rows[i]);
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: every element of {@code columns} added onto the input position it was gathered
     * from; {@code dx} is overwritten, or added to with {@code accumulate}.
     */
    public static void col2im(INDArray columns, INDArray dx, boolean accumulate, int outH, int outW, int kh, int kw,
            int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        Geometry g = geometry(dx, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
        int batch = check(dx, columns, g);
        FloatBuffer df = Vec.floats(dx);
        FloatBuffer cf = Vec.floats(columns);
        if (df != null && cf != null) {
            Workers.share(batch, b -> {
                float[][] s = scratch(g.sampleIn(), g.sampleColumns());
                if (accumulate) {
                    df.get(b * g.sampleIn(), s[0], 0, g.sampleIn());
                } else {
                    Arrays.fill(s[0], 0, g.sampleIn(), 0f);
                }
                cf.get(b * g.sampleColumns(), s[1], 0, g.sampleColumns());
                scatter(s[1], s[0], g);
                df.put(b * g.sampleIn(), s[0], 0, g.sampleIn());
            });
            return;
        }
        Vec in = Vec.of(columns);
        Vec out = Vec.of(dx);
        double[] sample = new double[g.sampleIn()];
        double[] rows = new double[g.sampleColumns()];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < rows.length; i++) {
                rows[i] = in.get(b * rows.length + i);
            }
            for (int i = 0; i < sample.length; i++) {
                sample[i] = accumulate ? out.get(b * sample.length + i) : 0;
            }
            scatter(rows, sample, g);
            for (int i = 0; i < sample.length; i++) {
                out.set(b * sample.length + i, sample[i]);
            }
        }
    }

    private static void gather(float[] in, float[] out, Geometry g) {
        int c = g.c();
        int row = g.kw() * c;
        int at = 0;
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = ox * g.sw() - g.padLeft();
                boolean whole = g.dw() == 1 && x0 >= 0 && x0 + g.kw() <= g.w();
                for (int i = 0; i < g.kh(); i++, at += row) {
                    int iy = oy * g.sh() - g.padTop() + i * g.dh();
                    if (iy < 0 || iy >= g.h()) {
                        Arrays.fill(out, at, at + row, 0f);
                    } else if (whole) {
                        System.arraycopy(in, (iy * g.w() + x0) * c, out, at, row); // the taps of a row, contiguous
                    } else {
                        for (int j = 0; j < g.kw(); j++) {
                            int ix = x0 + j * g.dw();
                            if (ix >= 0 && ix < g.w()) {
                                System.arraycopy(in, (iy * g.w() + ix) * c, out, at + j * c, c);
                            } else {
                                Arrays.fill(out, at + j * c, at + (j + 1) * c, 0f);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void scatter(float[] rows, float[] sample, Geometry g) {
        int c = g.c();
        int row = g.kw() * c;
        int at = 0;
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = ox * g.sw() - g.padLeft();
                boolean whole = g.dw() == 1 && x0 >= 0 && x0 + g.kw() <= g.w();
                for (int i = 0; i < g.kh(); i++, at += row) {
                    int iy = oy * g.sh() - g.padTop() + i * g.dh();
                    if (iy < 0 || iy >= g.h()) {
                        continue;
                    }
                    if (whole) {
                        add(rows, at, sample, (iy * g.w() + x0) * c, row);
                        continue;
                    }
                    for (int j = 0; j < g.kw(); j++) {
                        int ix = x0 + j * g.dw();
                        if (ix >= 0 && ix < g.w()) {
                            add(rows, at + j * c, sample, (iy * g.w() + ix) * c, c);
                        }
                    }
                }
            }
        }
    }

    /** {@code to[toAt ..] += from[fromAt ..]}, {@code n} elements: a loop the JIT vectorizes. */
    private static void add(float[] from, int fromAt, float[] to, int toAt, int n) {
        for (int k = 0; k < n; k++) {
            to[toAt + k] += from[fromAt + k];
        }
    }

    private static void gather(double[] in, double[] out, Geometry g) {
        int c = g.c();
        int row = g.kw() * c;
        int at = 0;
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = ox * g.sw() - g.padLeft();
                boolean whole = g.dw() == 1 && x0 >= 0 && x0 + g.kw() <= g.w();
                for (int i = 0; i < g.kh(); i++, at += row) {
                    int iy = oy * g.sh() - g.padTop() + i * g.dh();
                    if (iy < 0 || iy >= g.h()) {
                        Arrays.fill(out, at, at + row, 0);
                    } else if (whole) {
                        System.arraycopy(in, (iy * g.w() + x0) * c, out, at, row); // the taps of a row, contiguous
                    } else {
                        for (int j = 0; j < g.kw(); j++) {
                            int ix = x0 + j * g.dw();
                            if (ix >= 0 && ix < g.w()) {
                                System.arraycopy(in, (iy * g.w() + ix) * c, out, at + j * c, c);
                            } else {
                                Arrays.fill(out, at + j * c, at + (j + 1) * c, 0);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void scatter(double[] rows, double[] sample, Geometry g) {
        int c = g.c();
        int row = g.kw() * c;
        int at = 0;
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = ox * g.sw() - g.padLeft();
                boolean whole = g.dw() == 1 && x0 >= 0 && x0 + g.kw() <= g.w();
                for (int i = 0; i < g.kh(); i++, at += row) {
                    int iy = oy * g.sh() - g.padTop() + i * g.dh();
                    if (iy < 0 || iy >= g.h()) {
                        continue;
                    }
                    if (whole) {
                        add(rows, at, sample, (iy * g.w() + x0) * c, row);
                        continue;
                    }
                    for (int j = 0; j < g.kw(); j++) {
                        int ix = x0 + j * g.dw();
                        if (ix >= 0 && ix < g.w()) {
                            add(rows, at + j * c, sample, (iy * g.w() + ix) * c, c);
                        }
                    }
                }
            }
        }
    }

    /** {@code to[toAt ..] += from[fromAt ..]}, {@code n} elements: a loop the JIT vectorizes. */
    private static void add(double[] from, int fromAt, double[] to, int toAt, int n) {
        for (int k = 0; k < n; k++) {
            to[toAt + k] += from[fromAt + k];
        }
    }

    private static Geometry geometry(INDArray image, int outH, int outW, int kh, int kw, int sh, int sw, int dh, int dw,
            int padTop, int padLeft) {
        long[] s = image.shape();
        int h = s.length == 4 ? (int) s[1] : 1;
        int w = (int) s[s.length - 2];
        int c = (int) s[s.length - 1];
        return new Geometry(h, w, c, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft);
    }

    private static int check(INDArray image, INDArray columns, Geometry g) {
        int batch = (int) image.size(0);
        if (columns.length() != (long) batch * g.sampleColumns()) {
            throw new IllegalArgumentException("columns of shape " + Arrays.toString(columns.shape()) + " do not fit "
                    + batch + " samples of " + g);
        }
        return batch;
    }

    private static float[][] scratch(int in, int columns) {
        float[][] s = SCRATCH.get();
        if (s[0].length < in) {
            s[0] = new float[in];
        }
        if (s[1].length < columns) {
            s[1] = new float[columns];
        }
        return s;
    }
}
