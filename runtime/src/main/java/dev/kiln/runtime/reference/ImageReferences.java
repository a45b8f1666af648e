package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Interpolation;
import dev.kiln.runtime.layer.Cropping2DConfig;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.layer.UpSampling2DConfig;
import dev.kiln.runtime.layer.ZeroPadding2DConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layers that move an image's pixels without arithmetic, {@code ZeroPadding2D}, {@code Cropping2D} and
 * {@code UpSampling2D} (nearest): each output pixel is one input pixel or zero. Forward reads it; backward adds each
 * output's gradient onto that input pixel. {@code UpSampling2D}'s bilinear interpolation weighs the input pixels
 * instead.
 */
final class ImageReferences {
    private ImageReferences() {
    }

    private abstract static class PixelMap<C extends LayerConfig> implements LayerReference<C> {
        /** The output's {@code (h, w)} for an input of {@code (h, w)}. */
        abstract int[] outSize(C c, int h, int w);

        /** The input's {@code (y, x)} an output pixel {@code (y, x)} reads, or null for a zero. */
        abstract int[] source(C c, int y, int x, int h, int w);

        @Override
        public INDArray forward(C c, INDArray[] inputs, LayerWeights weights) {
            INDArray x = inputs[0];
            double[] xs = Naive.values(x);
            long[] s = x.shape();
            int[] o = outSize(c, (int) s[1], (int) s[2]);
            long[] out = {s[0], o[0], o[1], s[3]};
            double[] y = new double[(int) Naive.length(out)];
            for (int i = 0; i < y.length; i++) {
                int from = from(c, i, out, s);
                y[i] = from < 0 ? 0 : xs[from];
            }
            return Naive.array(y, out, x);
        }

        @Override
        public INDArray[] backward(C c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights weights) {
            INDArray x = inputs[0];
            long[] s = x.shape();
            double[] g = Naive.values(dy);
            double[] dx = new double[(int) x.length()];
            for (int i = 0; i < g.length; i++) {
                int from = from(c, i, output.shape(), s);
                if (from >= 0) {
                    dx[from] += g[i];
                }
            }
            return new INDArray[] {Naive.array(dx, s, x)};
        }

        private int from(C c, int flat, long[] out, long[] in) {
            long[] at = Naive.index(flat, out);
            int[] src = source(c, (int) at[1], (int) at[2], (int) in[1], (int) in[2]);
            if (src == null) {
                return -1;
            }
            return (int) (((at[0] * in[1] + src[0]) * in[2] + src[1]) * in[3] + at[3]);
        }
    }

    @AutoService(LayerReference.class)
    public static final class ZeroPadding2D extends PixelMap<ZeroPadding2DConfig> {
        @Override
        public Class<ZeroPadding2DConfig> configType() {
            return ZeroPadding2DConfig.class;
        }

        @Override
        int[] outSize(ZeroPadding2DConfig c, int h, int w) {
            var p = c.padding();
            return new int[] {h + p.get(0) + p.get(1), w + p.get(2) + p.get(3)};
        }

        @Override
        int[] source(ZeroPadding2DConfig c, int y, int x, int h, int w) {
            int sy = y - c.padding().get(0);
            int sx = x - c.padding().get(2);
            return sy >= 0 && sy < h && sx >= 0 && sx < w ? new int[] {sy, sx} : null;
        }
    }

    @AutoService(LayerReference.class)
    public static final class Cropping2D extends PixelMap<Cropping2DConfig> {
        @Override
        public Class<Cropping2DConfig> configType() {
            return Cropping2DConfig.class;
        }

        @Override
        int[] outSize(Cropping2DConfig c, int h, int w) {
            var p = c.cropping();
            return new int[] {h - p.get(0) - p.get(1), w - p.get(2) - p.get(3)};
        }

        @Override
        int[] source(Cropping2DConfig c, int y, int x, int h, int w) {
            return new int[] {y + c.cropping().get(0), x + c.cropping().get(2)};
        }
    }

    @AutoService(LayerReference.class)
    public static final class UpSampling2D extends PixelMap<UpSampling2DConfig> {
        @Override
        public Class<UpSampling2DConfig> configType() {
            return UpSampling2DConfig.class;
        }

        @Override
        int[] outSize(UpSampling2DConfig c, int h, int w) {
            return new int[] {h * c.size().get(0), w * c.size().get(1)};
        }

        @Override
        int[] source(UpSampling2DConfig c, int y, int x, int h, int w) {
            return new int[] {y / c.size().get(0), x / c.size().get(1)};
        }

        @Override
        public INDArray forward(UpSampling2DConfig c, INDArray[] inputs, LayerWeights weights) {
            if (c.interpolation() != Interpolation.BILINEAR) {
                return super.forward(c, inputs, weights);
            }
            INDArray x = inputs[0];
            double[] xs = Naive.values(x);
            long[] s = x.shape();
            long[] out = {s[0], s[1] * c.size().get(0), s[2] * c.size().get(1), s[3]};
            double[] y = new double[(int) Naive.length(out)];
            bilinear(c, s, out, (o, i, weight) -> y[o] += weight * xs[i]);
            return Naive.array(y, out, x);
        }

        @Override
        public INDArray[] backward(UpSampling2DConfig c, INDArray[] inputs, INDArray output, INDArray dy,
                LayerWeights weights) {
            if (c.interpolation() != Interpolation.BILINEAR) {
                return super.backward(c, inputs, output, dy, weights);
            }
            INDArray x = inputs[0];
            double[] g = Naive.values(dy);
            double[] dx = new double[(int) x.length()];
            bilinear(c, x.shape(), output.shape(), (o, i, weight) -> dx[i] += weight * g[o]);
            return new INDArray[] {Naive.array(dx, x.shape(), x)};
        }

        private interface Term {
            void add(int output, int input, double weight);
        }

        /**
         * Every (output, input, weight) term of Keras's bilinear resize, each output cell against every input pixel of
         * its channel: the weight is the product of the two axes' weights, an axis's weight of pixel {@code i} for
         * output {@code o} being {@code 1 - t} where the clamped {@code floor(src)} is {@code i} plus {@code t} where
         * the clamped {@code floor(src) + 1} is, with {@code src = (o + 0.5) / f - 0.5} and {@code t} its fraction.
         */
        private static void bilinear(UpSampling2DConfig c, long[] in, long[] out, Term term) {
            for (int b = 0; b < in[0]; b++) {
                for (int oy = 0; oy < out[1]; oy++) {
                    for (int ox = 0; ox < out[2]; ox++) {
                        for (int iy = 0; iy < in[1]; iy++) {
                            double wy = weight(oy, iy, c.size().get(0), (int) in[1]);
                            for (int ix = 0; ix < in[2] && wy != 0; ix++) {
                                double wx = weight(ox, ix, c.size().get(1), (int) in[2]);
                                for (int ch = 0; ch < in[3] && wx != 0; ch++) {
                                    term.add((int) (((b * out[1] + oy) * out[2] + ox) * out[3] + ch),
                                            (int) (((b * in[1] + iy) * in[2] + ix) * in[3] + ch), wy * wx);
                                }
                            }
                        }
                    }
                }
            }
        }

        private static double weight(int o, int i, int f, int n) {
            double src = (o + 0.5) / f - 0.5;
            int lo = (int) Math.floor(src);
            double t = src - lo;
            double w = 0;
            if (Math.max(0, Math.min(lo, n - 1)) == i) {
                w += 1 - t;
            }
            if (Math.max(0, Math.min(lo + 1, n - 1)) == i) {
                w += t;
            }
            return w;
        }
    }
}
