package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.PoolingConfig;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code MaxPooling1D/2D} and {@code AveragePooling1D/2D} from the definition: each output cell lists the input cells
 * of its window that lie inside the input; the maximum (first one on ties) or the mean of them, and backward sends the
 * gradient to the maximum's cell or spreads it evenly. A 1D layer is a 2D one of height 1.
 */
@AutoService(LayerReference.class)
public final class PoolingReference implements LayerReference<PoolingConfig> {
    @Override
    public Class<PoolingConfig> configType() {
        return PoolingConfig.class;
    }

    @Override
    public INDArray forward(PoolingConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        double[] xs = Naive.values(x);
        List<int[]> windows = windows(c, x.shape());
        double[] y = new double[windows.size()];
        for (int o = 0; o < y.length; o++) {
            int[] cells = windows.get(o);
            double v = c.op() == PoolingConfig.Op.MAX ? Double.NEGATIVE_INFINITY : 0;
            for (int cell : cells) {
                v = c.op() == PoolingConfig.Op.MAX ? Math.max(v, xs[cell]) : v + xs[cell] / cells.length;
            }
            y[o] = v;
        }
        return Naive.array(y, outShape(c, x.shape()), x);
    }

    @Override
    public INDArray[] backward(PoolingConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        double[] xs = Naive.values(x);
        double[] g = Naive.values(dy);
        List<int[]> windows = windows(c, x.shape());
        double[] dx = new double[xs.length];
        for (int o = 0; o < g.length; o++) {
            int[] cells = windows.get(o);
            if (c.op() == PoolingConfig.Op.MAX) {
                int best = cells[0];
                for (int cell : cells) {
                    best = xs[cell] > xs[best] ? cell : best;
                }
                dx[best] += g[o];
            } else {
                for (int cell : cells) {
                    dx[cell] += g[o] / cells.length;
                }
            }
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    /** For each output cell in C order, the flat indices of its window's cells inside the input. */
    private static List<int[]> windows(PoolingConfig c, long[] shape) {
        long[] out = outShape(c, shape);
        int[] g = grid(c, shape);
        int h = g[0];
        int w = g[1];
        int oh = g[2];
        int ow = g[3];
        int ch = (int) shape[shape.length - 1];
        int[] p = sizes(c.poolSize(), c.rank());
        int[] s = sizes(c.windowStrides(), c.rank());
        int top = ConvReference.before(h, oh, p[0], s[0], 1, c.padding());
        int left = ConvReference.before(w, ow, p[1], s[1], 1, c.padding());
        List<int[]> windows = new ArrayList<>();
        for (int b = 0; b < out[0]; b++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int k = 0; k < ch; k++) {
                        List<Integer> cells = new ArrayList<>();
                        for (int i = 0; i < p[0]; i++) {
                            for (int j = 0; j < p[1]; j++) {
                                int iy = oy * s[0] + i - top;
                                int ix = ox * s[1] + j - left;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    cells.add(((b * h + iy) * w + ix) * ch + k);
                                }
                            }
                        }
                        windows.add(cells.stream().mapToInt(Integer::intValue).toArray());
                    }
                }
            }
        }
        return windows;
    }

    /** Height and width of a window's size or stride: a 1D layer's height is 1. */
    private static int[] sizes(List<Integer> v, int rank) {
        return rank == 2 ? new int[] {v.get(0), v.get(1)} : new int[] {1, v.get(0)};
    }

    /** {@code h, w, oh, ow}. */
    private static int[] grid(PoolingConfig c, long[] shape) {
        int h = c.rank() == 2 ? (int) shape[1] : 1;
        int w = (int) shape[shape.length - 2];
        int[] p = sizes(c.poolSize(), c.rank());
        int[] s = sizes(c.windowStrides(), c.rank());
        return new int[] {h, w, ConvReference.outSize(h, p[0], s[0], 1, c.padding()),
                ConvReference.outSize(w, p[1], s[1], 1, c.padding())};
    }

    private static long[] outShape(PoolingConfig c, long[] shape) {
        int[] g = grid(c, shape);
        long ch = shape[shape.length - 1];
        return c.rank() == 2 ? new long[] {shape[0], g[2], g[3], ch} : new long[] {shape[0], g[3], ch};
    }
}
