package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code UpSampling2D} with nearest interpolation (channels last): {@code y[b, oy, ox, c] = x[b, oy / sh,
 * ox / sw, c]}; backward sums each {@code sh x sw} block of {@code dy} onto the pixel it repeats.
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
}
