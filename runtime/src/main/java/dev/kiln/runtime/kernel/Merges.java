package dev.kiln.runtime.kernel;

import dev.kiln.runtime.layer.MergeConfig.Op;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's element-wise merge layers ({@code Add}, {@code Subtract}, {@code Multiply}, {@code Average},
 * {@code Maximum}, {@code Minimum}) with broadcasting: inputs share the output's rank, and an input axis of length 1
 * is repeated along the output's. Backward sums a broadcast input's gradient over the axes it was repeated along.
 */
public final class Merges {
    private Merges() {
    }

    /** {@code y = op(xs...)}. */
    public static void forward(Op op, INDArray y, INDArray... xs) {
        Vec out = Vec.of(y);
        Vec[] in = vecs(xs);
        int[][] maps = maps(y, xs);
        int n = out.length;
        for (int o = 0; o < n; o++) {
            double acc = in[0].get(index(maps[0], o));
            for (int k = 1; k < in.length; k++) {
                double v = in[k].get(index(maps[k], o));
                switch (op) {
                    case ADD, AVERAGE -> acc += v;
                    case SUBTRACT -> acc -= v;
                    case MULTIPLY -> acc *= v;
                    case MAXIMUM -> acc = Math.max(acc, v);
                    case MINIMUM -> acc = Math.min(acc, v);
                }
            }
            out.set(o, op == Op.AVERAGE ? acc / in.length : acc);
        }
    }

    /**
     * {@code dx_i = dLoss/dx_i} for input {@code i} from {@code dy} ({@code +=} with {@code accumulate}). Maximum and
     * minimum send the gradient to the first input holding the extreme value.
     */
    public static void backward(Op op, int i, INDArray dy, INDArray dx, boolean accumulate, INDArray y, INDArray... xs) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        Vec[] in = vecs(xs);
        int[][] maps = maps(y, xs);
        if (!accumulate) {
            for (int j = 0; j < d.length; j++) {
                d.set(j, 0);
            }
        }
        Vec out = op == Op.MAXIMUM || op == Op.MINIMUM ? Vec.of(y) : null;
        for (int o = 0, n = g.length; o < n; o++) {
            double local;
            switch (op) {
                case ADD -> local = 1;
                case SUBTRACT -> local = i == 0 ? 1 : -1;
                case AVERAGE -> local = 1.0 / in.length;
                case MULTIPLY -> {
                    local = 1;
                    for (int k = 0; k < in.length; k++) {
                        if (k != i) {
                            local *= in[k].get(index(maps[k], o));
                        }
                    }
                }
                default -> local = winner(in, maps, o, out.get(o)) == i ? 1 : 0;
            }
            int at = index(maps[i], o);
            d.set(at, d.get(at) + g.get(o) * local);
        }
    }

    private static int winner(Vec[] in, int[][] maps, int o, double value) {
        for (int k = 0; k < in.length; k++) {
            if (in[k].get(index(maps[k], o)) == value) {
                return k;
            }
        }
        return -1;
    }

    private static Vec[] vecs(INDArray[] xs) {
        Vec[] v = new Vec[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = Vec.of(xs[i]);
        }
        return v;
    }

    /**
     * For each input, a map from output index to input index: {@code null} when the shapes are equal, else the
     * output's shape followed by the input's strides (0 on broadcast axes).
     */
    private static int[][] maps(INDArray y, INDArray[] xs) {
        long[] shape = y.shape();
        int[][] maps = new int[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            long[] s = xs[k].shape();
            if (java.util.Arrays.equals(s, shape)) {
                continue;
            }
            int r = shape.length;
            int[] m = new int[2 * r];
            int stride = 1;
            for (int d = r - 1; d >= 0; d--) {
                m[d] = (int) shape[d];
                m[r + d] = s[d] == 1 && shape[d] != 1 ? 0 : stride;
                stride *= (int) s[d];
            }
            maps[k] = m;
        }
        return maps;
    }

    private static int index(int[] map, int o) {
        if (map == null) {
            return o;
        }
        int r = map.length / 2;
        int at = 0;
        for (int d = r - 1; d >= 0; d--) {
            int extent = map[d];
            at += (o % extent) * map[r + d];
            o /= extent;
        }
        return at;
    }
}
