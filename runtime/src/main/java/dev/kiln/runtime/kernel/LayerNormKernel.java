package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code LayerNormalization} over the last axis: each row normalized by its own mean and (biased) variance.
 * The forward pass keeps {@code xhat} and each row's {@code 1 / sqrt(variance + epsilon)} in {@code stats} for backward.
 * {@code gamma} null scales by 1, {@code beta} null shifts by 0.
 */
public final class LayerNormKernel {
    private LayerNormKernel() {
    }

    /** {@code y = gamma * (x - mean) / sqrt(variance + epsilon) + beta}, row by row. */
    public static void forward(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray xhat, INDArray stats,
            double epsilon) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Vec norm = Vec.of(xhat);
        Vec st = Vec.of(stats);
        Vec g = gamma == null ? null : Vec.of(gamma);
        Vec b = beta == null ? null : Vec.of(beta);
        int width = Math.toIntExact(x.size(x.rank() - 1));
        for (int row = 0, rows = in.length() / width; row < rows; row++) {
            int at = row * width;
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += in.get(at + j);
            }
            double mean = sum / width;
            double squares = 0;
            for (int j = 0; j < width; j++) {
                double d = in.get(at + j) - mean;
                squares += d * d;
            }
            double invStd = 1 / Math.sqrt(squares / width + epsilon);
            st.set(row, invStd);
            for (int j = 0; j < width; j++) {
                double h = (in.get(at + j) - mean) * invStd;
                norm.set(at + j, h);
                out.set(at + j, (g == null ? 1 : g.get(j)) * h + (b == null ? 0 : b.get(j)));
            }
        }
    }

    /**
     * {@code dx = invStd / n * (n dxhat - sum(dxhat) - xhat sum(dxhat xhat))} per row with {@code dxhat = dy * gamma}
     * (into {@code dx} unless null, added with {@code accumulate}); {@code dGamma = sum(dy xhat)} and {@code dBeta =
     * sum(dy)} over the rows unless null (added with {@code accumulateWeights}).
     */
    public static void backward(INDArray xhat, INDArray gamma, INDArray stats, INDArray dy, INDArray dx,
            boolean accumulate, INDArray dGamma, INDArray dBeta, boolean accumulateWeights) {
        Vec h = Vec.of(xhat);
        Vec g = Vec.of(dy);
        Vec st = Vec.of(stats);
        Vec d = dx == null ? null : Vec.of(dx);
        Vec gm = gamma == null ? null : Vec.of(gamma);
        Vec dg = dGamma == null ? null : Vec.of(dGamma);
        Vec db = dBeta == null ? null : Vec.of(dBeta);
        int width = Math.toIntExact(xhat.size(xhat.rank() - 1));
        for (int j = 0; !accumulateWeights && j < width; j++) {
            if (dg != null) {
                dg.set(j, 0);
            }
            if (db != null) {
                db.set(j, 0);
            }
        }
        for (int row = 0, rows = h.length() / width; row < rows; row++) {
            int at = row * width;
            double sum = 0;
            double dot = 0;
            for (int j = 0; j < width; j++) {
                double dxhat = g.get(at + j) * (gm == null ? 1 : gm.get(j));
                sum += dxhat;
                dot += dxhat * h.get(at + j);
                if (dg != null) {
                    dg.set(j, dg.get(j) + g.get(at + j) * h.get(at + j));
                }
                if (db != null) {
                    db.set(j, db.get(j) + g.get(at + j));
                }
            }
            if (d == null) {
                continue;
            }
            double invStd = st.get(row);
            for (int j = 0; j < width; j++) {
                double dxhat = g.get(at + j) * (gm == null ? 1 : gm.get(j));
                double v = invStd * (dxhat - sum / width - h.get(at + j) * dot / width);
                d.set(at + j, accumulate ? d.get(at + j) + v : v);
            }
        }
    }
}
