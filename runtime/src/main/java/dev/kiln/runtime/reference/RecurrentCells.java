package dev.kiln.runtime.reference;

import dev.kiln.dsl.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent references' shared bookkeeping, from Keras's definitions: a sequence's steps in processing order,
 * dense products written as loops, and the layer's output or its gradient at one step. One sample at a time.
 */
final class RecurrentCells {
    /** One batch of a sequence {@code (batch, steps, features)} and the layer's output layout. */
    record Sequence(double[] x, double[] mask, int batch, int steps, int features, int units,
            boolean returnSequences, boolean goBackwards) {
        /** {@code mask (batch, steps)}, 0 for a step to skip, or null. */
        static Sequence of(INDArray x, INDArray mask, int units, boolean returnSequences, boolean goBackwards) {
            return new Sequence(Naive.values(x), mask == null ? null : Naive.values(mask), (int) x.size(0),
                    (int) x.size(1), (int) x.size(2), units, returnSequences, goBackwards);
        }

        /** Whether sample {@code b} takes processing step {@code s} (Keras: a masked step keeps the state). */
        boolean keeps(int b, int s) {
            return mask == null || mask[b * steps + time(s)] != 0;
        }

        /** The input step read at processing step {@code s}. */
        int time(int s) {
            return goBackwards ? steps - 1 - s : s;
        }

        /** Sample {@code b}'s input at processing step {@code s}. */
        double[] input(int b, int s) {
            double[] v = new double[features];
            System.arraycopy(x, (b * steps + time(s)) * features, v, 0, features);
            return v;
        }

        /** Adds {@code g} to sample {@code b}'s input gradient at processing step {@code s}. */
        void addInputGradient(double[] dx, int b, int s, double[] g) {
            for (int i = 0; i < features; i++) {
                dx[(b * steps + time(s)) * features + i] += g[i];
            }
        }

        /** The output's length: every step's state, or the last one's. */
        int outputLength() {
            return batch * (returnSequences ? steps : 1) * units;
        }

        long[] outputShape() {
            return returnSequences ? new long[] {batch, steps, units} : new long[] {batch, units};
        }

        /** Writes sample {@code b}'s state after processing step {@code s} into the output, where it goes there. */
        void output(double[] y, int b, int s, double[] h) {
            if (returnSequences) {
                System.arraycopy(h, 0, y, (b * steps + s) * units, units);
            } else if (s == steps - 1) {
                System.arraycopy(h, 0, y, b * units, units);
            }
        }

        /** The output's gradient that reaches sample {@code b}'s state at processing step {@code s}. */
        double[] outputGradient(double[] dy, int b, int s) {
            double[] g = new double[units];
            if (returnSequences) {
                System.arraycopy(dy, (b * steps + s) * units, g, 0, units);
            } else if (s == steps - 1) {
                System.arraycopy(dy, b * units, g, 0, units);
            }
            return g;
        }
    }

    private RecurrentCells() {
    }

    /**
     * Adds the gradients of {@code kernel}, {@code recurrent_kernel} and, with {@code useBias}, {@code bias} (in their
     * own shapes) to {@code w}, and returns the inputs' gradients: the sequence's {@code dx} in the shape of
     * {@code inputs[0]}, then the initial states' {@code dStates[k][b]}, one per further input.
     */
    static INDArray[] gradients(LayerWeights w, boolean useBias, double[] dKernel, double[] dRecurrent, double[] dBias,
            double[] dx, INDArray[] inputs, double[][][] dStates) {
        INDArray x = inputs[0];
        w.addGradient("kernel", Naive.array(dKernel, w.get("kernel").shape(), x));
        w.addGradient("recurrent_kernel", Naive.array(dRecurrent, w.get("recurrent_kernel").shape(), x));
        if (useBias) {
            w.addGradient("bias", Naive.array(dBias, w.get("bias").shape(), x));
        }
        INDArray[] out = new INDArray[inputs.length];
        out[0] = Naive.array(dx, x.shape(), x);
        for (int k = 1; k < inputs.length; k++) {
            out[k] = Naive.array(flat(dStates[k - 1]), inputs[k].shape(), inputs[k]);
        }
        return out;
    }

    /**
     * Sample {@code b}'s initial state {@code k} (Keras's {@code initial_state[k]}): input {@code 1 + k}'s row, or zeros
     * when the layer is given none.
     */
    static double[] initialState(INDArray[] inputs, int k, int b, int units) {
        double[] v = new double[units];
        if (inputs.length > 1) {
            System.arraycopy(Naive.values(inputs[1 + k]), b * units, v, 0, units);
        }
        return v;
    }

    /** Sample {@code b}'s row of a gradient {@code (batch, units)}, or zeros when it is null. */
    static double[] row(INDArray g, int b, int units) {
        double[] v = new double[units];
        if (g != null) {
            System.arraycopy(Naive.values(g), b * units, v, 0, units);
        }
        return v;
    }

    /** Rows {@code [b][j]} as one row-major array. */
    static double[] flat(double[][] rows) {
        int n = rows[0].length;
        double[] out = new double[rows.length * n];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, out, b * n, n);
        }
        return out;
    }

    /** Every sample's state after the last step, {@code [b][s]} of a trace, as a {@code (batch, units)} array. */
    static INDArray last(double[][][] states, INDArray like) {
        double[][] rows = new double[states.length][];
        for (int b = 0; b < states.length; b++) {
            rows[b] = states[b][states[b].length - 1];
        }
        return Naive.array(flat(rows), new long[] {states.length, rows[0].length}, like);
    }

    /** {@code v @ m[:, from:from+n]} with {@code m} of {@code columns} columns, row-major. */
    static double[] times(double[] v, double[] m, int columns, int from, int n) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < v.length; i++) {
                out[j] += v[i] * m[i * columns + from + j];
            }
        }
        return out;
    }

    /** {@code m[:, from:from+n] @ g}: the gradient that flows back through {@code times}. */
    static double[] back(double[] g, double[] m, int rows, int columns, int from) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < g.length; j++) {
                out[i] += m[i * columns + from + j] * g[j];
            }
        }
        return out;
    }

    /** {@code dm[:, from:from+n] += v (outer) g}: the weight's gradient of {@code times}. */
    static void outer(double[] dm, double[] v, double[] g, int columns, int from) {
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < g.length; j++) {
                dm[i * columns + from + j] += v[i] * g[j];
            }
        }
    }

    static double[] apply(Activation f, double[] pre) {
        double[] out = new double[pre.length];
        for (int j = 0; j < pre.length; j++) {
            out[j] = ActivationFunctions.apply(f, pre[j]);
        }
        return out;
    }

    static double[] plus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = a[j] + b[j];
        }
        return out;
    }

    static double[] slice(double[] v, int from, int n) {
        double[] out = new double[n];
        System.arraycopy(v, from, out, 0, n);
        return out;
    }

    static void add(double[] into, int from, double[] g) {
        for (int j = 0; j < g.length; j++) {
            into[from + j] += g[j];
        }
    }
}
