package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the recurrent kernels share. They run step by step over time-major scratch buffers: a planned buffer of one
 * sample's shape {@code (steps, k)} holds {@code batch * steps * k} values, which the kernels read as
 * {@code (steps, batch, k)}, so that each step's rows are one contiguous block that gemm can write into.
 */
final class Sequences {
    private Sequences() {
    }

    /**
     * {@code dst[s, b, :] = src[b, t, :]} with {@code t = s}, or {@code t = steps - 1 - s} when {@code reversed}
     * ({@code goBackwards}): the batch-major sequence {@code src (batch, steps, k)} in processing order.
     */
    static void toTimeMajor(INDArray src, INDArray dst, boolean reversed) {
        int batch = Math.toIntExact(src.size(0));
        int steps = Math.toIntExact(src.size(1));
        int k = Math.toIntExact(src.size(2));
        Vec in = Vec.of(src);
        Vec out = Vec.of(dst);
        for (int s = 0; s < steps; s++) {
            int t = reversed ? steps - 1 - s : s;
            for (int b = 0; b < batch; b++) {
                int from = (b * steps + t) * k;
                int to = (s * batch + b) * k;
                for (int j = 0; j < k; j++) {
                    out.set(to + j, in.get(from + j));
                }
            }
        }
    }

    /** The inverse of {@link #toTimeMajor}, written into {@code dst (batch, steps, k)} or added with {@code accumulate}. */
    static void toBatchMajor(INDArray src, INDArray dst, boolean reversed, boolean accumulate) {
        int batch = Math.toIntExact(dst.size(0));
        int steps = Math.toIntExact(dst.size(1));
        int k = Math.toIntExact(dst.size(2));
        Vec in = Vec.of(src);
        Vec out = Vec.of(dst);
        for (int s = 0; s < steps; s++) {
            int t = reversed ? steps - 1 - s : s;
            for (int b = 0; b < batch; b++) {
                int from = (s * batch + b) * k;
                int to = (b * steps + t) * k;
                for (int j = 0; j < k; j++) {
                    double v = in.get(from + j);
                    out.set(to + j, accumulate ? out.get(to + j) + v : v);
                }
            }
        }
    }

    /** A scratch buffer as a matrix of rows of {@code k}: {@code (steps * batch, k)}, a view. */
    static INDArray rows(INDArray buffer, long k) {
        return buffer.reshape('c', buffer.length() / k, k);
    }

    /** The {@code (batch, k)} rows of step {@code s} of a time-major {@link #rows} matrix, a contiguous view. */
    static INDArray step(INDArray rows, int batch, int s) {
        return rows.get(NDArrayIndex.interval((long) s * batch, (long) (s + 1) * batch), NDArrayIndex.all());
    }

    /** {@code dst = rows of step s} (the last hidden state as a layer's output), or added with {@code accumulate}. */
    static void copyStep(INDArray timeMajor, int batch, int s, INDArray dst, boolean accumulate) {
        Vec in = Vec.of(timeMajor);
        Vec out = Vec.of(dst);
        int n = out.length();
        for (int i = 0, from = s * batch * (n / batch); i < n; i++) {
            out.set(i, accumulate ? out.get(i) + in.get(from + i) : in.get(from + i));
        }
    }

    /**
     * {@code dh += dy} for step {@code s}: the output's gradient at that step ({@code dy (batch, steps, units)} with
     * {@code returnSequences}), or, without, {@code dy (batch, units)} at the last step only; nothing when {@code dy}
     * is null (only the layer's final states are consumed).
     */
    static void addOutputGradient(INDArray dy, Vec dh, int s, int steps, boolean returnSequences) {
        if (dy == null) {
            return;
        }
        Vec g = Vec.of(dy);
        int n = dh.length();
        if (returnSequences) {
            int batch = Math.toIntExact(dy.size(0));
            int units = n / batch;
            for (int b = 0; b < batch; b++) {
                for (int j = 0, from = (b * steps + s) * units; j < units; j++) {
                    dh.set(b * units + j, dh.get(b * units + j) + g.get(from + j));
                }
            }
        } else if (s == steps - 1) {
            for (int i = 0; i < n; i++) {
                dh.set(i, dh.get(i) + g.get(i));
            }
        }
    }

    /**
     * The gradients that flow through the input projection {@code xs @ kernel (+ bias)}, from {@code dzRows}, the
     * gradient of every step's projected rows {@code (steps * batch, width)}: {@code dKernel = xs^T @ dz} and
     * {@code dBias = column sums of dz} (written, or added with {@code accumulateWeights}; both null when frozen,
     * {@code dBias} without a bias),
     * and, unless {@code dx} is null, {@code dx = dz @ kernel^T} back in batch-major order (added with
     * {@code accumulateInput}) through the scratch {@code dxs}.
     */
    static void inputSideGradients(INDArray kernel, INDArray xs, INDArray dzRows, INDArray dKernel, INDArray dBias,
            INDArray dxs, INDArray dx, boolean goBackwards, boolean accumulateWeights, boolean accumulateInput) {
        INDArray xRows = rows(xs, kernel.size(0));
        if (dKernel != null && accumulateWeights) {
            Kernels.gemmAccumulate(xRows, dzRows, dKernel, true, false);
        } else if (dKernel != null) {
            Kernels.gemm(xRows, dzRows, dKernel, true, false);
        }
        if (dBias != null) {
            Kernels.biasGradient(dzRows, dBias, accumulateWeights);
        }
        if (dx != null) {
            Kernels.gemm(dzRows, kernel, rows(dxs, kernel.size(0)), false, true);
            toBatchMajor(dxs, dx, goBackwards, accumulateInput);
        }
    }

    /**
     * Whether sample {@code b} takes processing step {@code s}: true without a mask ({@code mask} null), else the
     * mask's entry for the input step read there ({@code mask (batch, steps)}, batch-major, 0 skips the step).
     */
    static boolean keeps(Vec mask, int b, int s, int steps, boolean goBackwards) {
        return mask == null || mask.get(b * steps + (goBackwards ? steps - 1 - s : s)) != 0;
    }

    /** Entry {@code i} of an initial state {@code (batch, units)}, or 0 when there is none (Keras's zeros). */
    static double initial(Vec state, int i) {
        return state == null ? 0 : state.get(i);
    }

    /** A state's gradient {@code (batch, units)} at the last step: {@code dFinal}, or zeros when it is null. */
    static void start(Vec d, INDArray dFinal) {
        if (dFinal == null) {
            zero(d);
            return;
        }
        Vec g = Vec.of(dFinal);
        for (int i = 0, n = d.length(); i < n; i++) {
            d.set(i, g.get(i));
        }
    }

    /**
     * The initial state's gradient, what reached the state before the first step: {@code dInitial = d}, or
     * {@code +=} with {@code accumulate}; nothing when {@code dInitial} is null.
     */
    static void finish(Vec d, INDArray dInitial, boolean accumulate) {
        if (dInitial == null) {
            return;
        }
        Vec out = Vec.of(dInitial);
        for (int i = 0, n = d.length(); i < n; i++) {
            out.set(i, accumulate ? out.get(i) + d.get(i) : d.get(i));
        }
    }

    /** Zeroes every value. */
    static void zero(Vec v) {
        for (int i = 0, n = v.length(); i < n; i++) {
            v.set(i, 0);
        }
    }
}
