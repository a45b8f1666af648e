package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code UpSampling2D} (channels last). Nearest: {@code y[b, oy, ox, c] = x[b, oy / sh, ox / sw, c]}; backward
 * sums each {@code sh x sw} block of {@code dy} onto the pixel it repeats. Bilinear, as TensorFlow's {@code resize} with
 * half-pixel centres: output row {@code oy} reads the input at {@code (oy + 0.5) / sh - 0.5}, between rows {@code
 * floor} and {@code floor + 1} (each clamped to the image) with weights {@code 1 - t} and {@code t}, the fraction; the
 * same along the columns, the two products weighting four pixels. Backward scatters {@code dy} with those weights.
 */
public final class UpSamplingKernel {
    private UpSamplingKernel() {
    }

    public static void forward(INDArray x, INDArray y, int sh, int sw) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        int batch = (int) x.size(0);
        int h = (int) x.size(1);
        int w = (int) x.size(2);
        int c = (int) x.size(3);
        Workers.share(batch, b -> {
            for (int oy = 0; oy < h * sh; oy++) {
                for (int ox = 0; ox < w * sw; ox++) {
                    int from = ((b * h + oy / sh) * w + ox / sw) * c;
                    int to = ((b * h * sh + oy) * w * sw + ox) * c;
                    for (int k = 0; k < c; k++) {
                        out.set(to + k, in.get(from + k));
                    }
                }
            }
        });
    }

    /** {@code dx} (=, or += with {@code accumulate}) the sum of each pixel's block of {@code dy}. */
    public static void backward(INDArray dy, INDArray dx, boolean accumulate, int sh, int sw) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int h = (int) dx.size(1);
        int w = (int) dx.size(2);
        int c = (int) dx.size(3);
        Workers.share(batch, b -> {
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    int to = ((b * h + iy) * w + ix) * c;
                    for (int k = 0; k < c; k++) {
                        double sum = 0;
                        for (int i = 0; i < sh; i++) {
                            for (int j = 0; j < sw; j++) {
                                sum += g.get(((b * h * sh + iy * sh + i) * w * sw + ix * sw + j) * c + k);
                            }
                        }
                        d.set(to + k, accumulate ? d.get(to + k) + sum : sum);
                    }
                }
            }
        });
    }

    /** {@code y} = {@code x} resized bilinearly by {@code (sh, sw)} at half-pixel centres. */
    public static void bilinearForward(INDArray x, INDArray y, int sh, int sw) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        int batch = (int) x.size(0);
        int h = (int) x.size(1);
        int w = (int) x.size(2);
        int c = (int) x.size(3);
        int oh = h * sh;
        int ow = w * sw;
        Workers.share(batch, b -> {
            for (int oy = 0; oy < oh; oy++) {
                double sy = source(oy, sh);
                int y0 = (int) Math.floor(sy);
                double ty = sy - y0;
                int ya = (b * h + clamp(y0, h)) * w;
                int yb = (b * h + clamp(y0 + 1, h)) * w;
                for (int ox = 0; ox < ow; ox++) {
                    double sx = source(ox, sw);
                    int x0 = (int) Math.floor(sx);
                    double tx = sx - x0;
                    int xa = clamp(x0, w);
                    int xb = clamp(x0 + 1, w);
                    int to = ((b * oh + oy) * ow + ox) * c;
                    for (int k = 0; k < c; k++) {
                        double top = (1 - tx) * in.get((ya + xa) * c + k) + tx * in.get((ya + xb) * c + k);
                        double bottom = (1 - tx) * in.get((yb + xa) * c + k) + tx * in.get((yb + xb) * c + k);
                        out.set(to + k, (1 - ty) * top + ty * bottom);
                    }
                }
            }
        });
    }

    /** {@code dx} (=, or += with {@code accumulate}) each cell of {@code dy} times its weight on the pixel. */
    public static void bilinearBackward(INDArray dy, INDArray dx, boolean accumulate, int sh, int sw) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int h = (int) dx.size(1);
        int w = (int) dx.size(2);
        int c = (int) dx.size(3);
        int oh = h * sh;
        int ow = w * sw;
        Workers.share(batch, b -> {
            if (!accumulate) {
                for (int i = b * h * w * c; i < (b + 1) * h * w * c; i++) {
                    d.set(i, 0);
                }
            }
            for (int oy = 0; oy < oh; oy++) {
                double sy = source(oy, sh);
                int y0 = (int) Math.floor(sy);
                double ty = sy - y0;
                int ya = (b * h + clamp(y0, h)) * w;
                int yb = (b * h + clamp(y0 + 1, h)) * w;
                for (int ox = 0; ox < ow; ox++) {
                    double sx = source(ox, sw);
                    int x0 = (int) Math.floor(sx);
                    double tx = sx - x0;
                    int xa = clamp(x0, w);
                    int xb = clamp(x0 + 1, w);
                    int from = ((b * oh + oy) * ow + ox) * c;
                    for (int k = 0; k < c; k++) {
                        double v = g.get(from + k);
                        add(d, (ya + xa) * c + k, (1 - ty) * (1 - tx) * v);
                        add(d, (ya + xb) * c + k, (1 - ty) * tx * v);
                        add(d, (yb + xa) * c + k, ty * (1 - tx) * v);
                        add(d, (yb + xb) * c + k, ty * tx * v);
                    }
                }
            }
        });
    }

    /** The input coordinate output cell {@code o} reads under a factor {@code f}, half-pixel centres. */
    private static double source(int o, int f) {
        return (o + 0.5) / f - 0.5;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(i, n - 1));
    }

    private static void add(Vec v, int i, double x) {
        v.set(i, v.get(i) + x);
    }
}
