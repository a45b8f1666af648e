package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code BatchNormalization} over the last axis of a C-ordered array seen as rows of {@code channels}. The
 * forward passes keep {@code xhat} (the normalized input) and, in the first {@code channels} values of {@code stats},
 * each channel's {@code 1 / sqrt(variance + epsilon)} for the backward passes. {@code gamma} null scales by 1,
 * {@code beta} null shifts by 0.
 */
public final class BatchNormKernel {
    private BatchNormKernel() {
    }

    /**
     * Training: normalizes by the batch's mean and biased variance, and moves the moving statistics towards them,
     * {@code moving = momentum * moving + (1 - momentum) * batch}.
     */
    public static void train(INDArray x, INDArray gamma, INDArray beta, INDArray movingMean, INDArray movingVariance,
            INDArray y, INDArray xhat, INDArray stats, double momentum, double epsilon) {
        Vec in = Vec.of(x);
        Vec mm = Vec.of(movingMean);
        Vec mv = Vec.of(movingVariance);
        Vec st = Vec.of(stats);
        int channels = mm.length();
        int rows = in.length() / channels;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += in.get(r * channels + c);
            }
            double mean = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                double d = in.get(r * channels + c) - mean;
                squares += d * d;
            }
            double variance = squares / rows;
            st.set(c, 1 / Math.sqrt(variance + epsilon));
            mm.set(c, momentum * mm.get(c) + (1 - momentum) * mean);
            mv.set(c, momentum * mv.get(c) + (1 - momentum) * variance);
            normalize(in, c, channels, rows, mean, st.get(c), gamma, beta, y, xhat);
        }
    }

    /** Inference (and a frozen layer's training): normalizes by the moving statistics. */
    public static void infer(INDArray x, INDArray gamma, INDArray beta, INDArray movingMean, INDArray movingVariance,
            INDArray y, INDArray xhat, INDArray stats, double epsilon) {
        Vec in = Vec.of(x);
        Vec mm = Vec.of(movingMean);
        Vec mv = Vec.of(movingVariance);
        Vec st = Vec.of(stats);
        int channels = mm.length();
        int rows = in.length() / channels;
        for (int c = 0; c < channels; c++) {
            st.set(c, 1 / Math.sqrt(mv.get(c) + epsilon));
            normalize(in, c, channels, rows, mm.get(c), st.get(c), gamma, beta, y, xhat);
        }
    }

    private static void normalize(Vec in, int c, int channels, int rows, double mean, double invStd, INDArray gamma,
            INDArray beta, INDArray y, INDArray xhat) {
        double g = gamma == null ? 1 : gamma.getDouble(c);
        double b = beta == null ? 0 : beta.getDouble(c);
        Vec out = Vec.of(y);
        Vec norm = Vec.of(xhat);
        for (int r = 0; r < rows; r++) {
            int i = r * channels + c;
            double h = (in.get(i) - mean) * invStd;
            norm.set(i, h);
            out.set(i, g * h + b);
        }
    }

    /**
     * The backward pass of {@link #train}: {@code dx = invStd / n * (n dxhat - sum(dxhat) - xhat sum(dxhat xhat))}
     * with {@code dxhat = dy * gamma} (into {@code dx} unless null, added with {@code accumulate}), {@code dGamma =
     * sum(dy xhat)} and {@code dBeta = sum(dy)} unless null (added with {@code accumulateWeights}).
     */
    public static void backwardTraining(INDArray xhat, INDArray gamma, INDArray stats, INDArray dy, INDArray dx,
            boolean accumulate, INDArray dGamma, INDArray dBeta, boolean accumulateWeights) {
        backward(true, xhat, gamma, stats, dy, dx, accumulate, dGamma, dBeta, accumulateWeights);
    }

    /** The backward pass of {@link #infer}: an affine map, {@code dx = dy * gamma * invStd}. */
    public static void backwardInference(INDArray xhat, INDArray gamma, INDArray stats, INDArray dy, INDArray dx,
            boolean accumulate, INDArray dGamma, INDArray dBeta, boolean accumulateWeights) {
        backward(false, xhat, gamma, stats, dy, dx, accumulate, dGamma, dBeta, accumulateWeights);
    }

    private static void backward(boolean batchStatistics, INDArray xhat, INDArray gamma, INDArray stats, INDArray dy,
            INDArray dx, boolean accumulate, INDArray dGamma, INDArray dBeta, boolean accumulateWeights) {
        Vec h = Vec.of(xhat);
        Vec g = Vec.of(dy);
        Vec st = Vec.of(stats);
        Vec d = dx == null ? null : Vec.of(dx);
        int channels = Math.toIntExact(xhat.size(xhat.rank() - 1));
        int rows = h.length() / channels;
        for (int c = 0; c < channels; c++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int r = 0; r < rows; r++) {
                int i = r * channels + c;
                sumDy += g.get(i);
                sumDyXhat += g.get(i) * h.get(i);
            }
            if (dGamma != null) {
                dGamma.putScalar(c, accumulateWeights ? dGamma.getDouble(c) + sumDyXhat : sumDyXhat);
            }
            if (dBeta != null) {
                dBeta.putScalar(c, accumulateWeights ? dBeta.getDouble(c) + sumDy : sumDy);
            }
            if (d == null) {
                continue;
            }
            double scale = (gamma == null ? 1 : gamma.getDouble(c)) * st.get(c);
            for (int r = 0; r < rows; r++) {
                int i = r * channels + c;
                double v = batchStatistics
                        ? scale * (g.get(i) - sumDy / rows - h.get(i) * sumDyXhat / rows)
                        : scale * g.get(i);
                d.set(i, accumulate ? d.get(i) + v : v);
            }
        }
    }
}
