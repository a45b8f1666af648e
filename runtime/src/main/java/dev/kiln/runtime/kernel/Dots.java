package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Dot} layer on vectors: {@code y[b] = sum_j a[b, j] * c[b, j]}, output {@code (batch, 1)}; with
 * {@code normalize}, both vectors are first L2-normalized ({@code x / sqrt(max(sum x^2, 1e-12))}), giving the cosine
 * proximity.
 */
public final class Dots {
    private static final double EPSILON = 1e-12;

    private Dots() {
    }

    public static void forward(boolean normalize, INDArray a, INDArray c, INDArray y) {
        Vec va = Vec.of(a);
        Vec vc = Vec.of(c);
        Vec out = Vec.of(y);
        int batch = (int) a.size(0);
        int width = (int) (a.length() / batch);
        for (int b = 0; b < batch; b++) {
            double dot = 0;
            double na = 0;
            double nc = 0;
            for (int j = 0; j < width; j++) {
                double p = va.get(b * width + j);
                double q = vc.get(b * width + j);
                dot += p * q;
                na += p * p;
                nc += q * q;
            }
            out.set(b, normalize ? dot / (Math.sqrt(Math.max(na, EPSILON)) * Math.sqrt(Math.max(nc, EPSILON))) : dot);
        }
    }

    /** The gradient for input {@code i} (0 for {@code a}, 1 for {@code c}), written or added into {@code dx}. */
    public static void backward(boolean normalize, int i, INDArray a, INDArray c, INDArray dy, INDArray dx,
            boolean accumulate) {
        Vec self = Vec.of(i == 0 ? a : c);
        Vec other = Vec.of(i == 0 ? c : a);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int batch = (int) a.size(0);
        int width = (int) (a.length() / batch);
        for (int b = 0; b < batch; b++) {
            double gb = g.get(b);
            double ns = 0;
            double no = 0;
            double dot = 0;
            for (int j = 0; j < width; j++) {
                double p = self.get(b * width + j);
                double q = other.get(b * width + j);
                ns += p * p;
                no += q * q;
                dot += p * q;
            }
            double rs = Math.sqrt(Math.max(ns, EPSILON));
            double ro = Math.sqrt(Math.max(no, EPSILON));
            for (int j = 0; j < width; j++) {
                int at = b * width + j;
                double q = other.get(at);
                double v;
                if (!normalize) {
                    v = gb * q;
                } else {
                    // y = (s . o) / (|s| |o|); dy/ds = o / (|s||o|) - y s / |s|^2 (when |s|^2 > eps)
                    double y = dot / (rs * ro);
                    double p = self.get(at);
                    v = gb * (q / (rs * ro) - (ns > EPSILON ? y * p / (rs * rs) : 0));
                }
                d.set(at, accumulate ? d.get(at) + v : v);
            }
        }
    }
}
