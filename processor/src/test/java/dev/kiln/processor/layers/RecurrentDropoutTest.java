package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code dropout} and {@code recurrentDropout} on SimpleRNN, GRU and LSTM, Keras 3's semantics: in training one mask
 * per sample, drawn once per batch and reused at every step, for the input and for the previous state; a gated layer
 * with {@code recurrentDropout > 0} draws one mask per gate block for each (Keras's {@code implementation = 1}),
 * otherwise one input mask for all blocks; identity at inference. Forward values against the Keras cell equations
 * written out here, with the masks the layer's seeded generator draws; float64 gradient checks with the masks replayed.
 */
class RecurrentDropoutTest {
    private static final int BATCH = 2;
    private static final int STEPS = 3;
    private static final int IN = 3;
    private static final int UNITS = 2;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile(
                "rd.Lstm", single("Lstm", "LSTM", "dropout = 0.3, recurrentDropout = 0.4"),
                "rd.LstmInput", single("LstmInput", "LSTM", "dropout = 0.3"),
                "rd.Gru", single("Gru", "GRU", "dropout = 0.3, recurrentDropout = 0.4"),
                "rd.GruInput", single("GruInput", "GRU", "dropout = 0.5"),
                "rd.Rnn", single("Rnn", "SimpleRNN", "dropout = 0.3, recurrentDropout = 0.4"),
                "rd.Stack", """
                package rd;
                import dev.kiln.dsl.*;
                @Model interface Stack {
                    @Input(shape = 5, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 3, outputDim = 3, maskZero = true) Tensor vectors(Tensor ids);
                    @GRU(units = 3, returnSequences = true, recurrentDropout = 0.3) Tensor a(Tensor vectors);
                    @LSTM(units = 3, returnSequences = true, goBackwards = true, dropout = 0.25, recurrentDropout = 0.2)
                    Tensor b(Tensor a);
                    @SimpleRNN(units = 2, dropout = 0.4, recurrentDropout = 0.5) Tensor c(Tensor b);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor c);
                }
                """, "rd.Open", """
                package rd;
                import dev.kiln.dsl.*;
                @Model interface Open {
                    @Input(shape = {Input.NONE, 3}) Tensor x();
                    @LSTM(units = 3, returnSequences = true, dropout = 0.3, recurrentDropout = 0.3) Tensor a(Tensor x);
                    @GRU(units = 2, dropout = 0.2, recurrentDropout = 0.2, seed = 4) Tensor b(Tensor a);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor b);
                }
                """, "rd.Shared", """
                package rd;
                import dev.kiln.dsl.*;
                @Model interface Shared {
                    @Input(shape = {4, 3}) Tensor x();
                    @LSTM(units = 3, returnSequences = true, dropout = 0.5) Tensor a(Tensor x);
                    @GRU(units = 2, dropout = 0.5, useBias = false) Tensor b(Tensor a);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor b);
                }
                """);
    }

    private static String single(String name, String layer, String rates) {
        return """
                package rd;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = {%d, %d}) Tensor x();
                    @%s(units = %d, returnSequences = true, %s, seed = 11)
                    @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor h(Tensor x);
                }
                """.formatted(name, STEPS, IN, layer, UNITS, rates);
    }

    // ---- the Keras cells, written out

    /** Masks as the layer draws them from its seed: input masks (batch, count, in), then recurrent (batch, count, u). */
    private static double[][][] draw(SplittableRandom random, int count, int width, double rate) {
        double[][][] m = new double[BATCH][count][width];
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < count; k++) {
                for (int j = 0; j < width; j++) {
                    m[b][k][j] = random.nextDouble() >= rate ? 1 / (1 - rate) : 0;
                }
            }
        }
        return m;
    }

    private static double[][][] ones(int count, int width) {
        double[][][] m = new double[BATCH][count][width];
        for (double[][] a : m) {
            for (double[] b : a) {
                java.util.Arrays.fill(b, 1);
            }
        }
        return m;
    }

    /** Row {@code j} of {@code x * mask} times column {@code col} of {@code w}. */
    private static double dot(double[] x, double[] mask, double[][] w, int col) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * mask[i] * w[i][col];
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Keras's mask for gate block {@code k}: its own, or the one mask when there is one. */
    private static double[] mask(double[][][] m, int b, int k) {
        return m[b][m[b].length == 1 ? 0 : k];
    }

    /** LSTMCell.call: blocks [i, f, c, o]; x * dp_mask[k] with W_k, h * rec_dp_mask[k] with U_k. */
    private static double[][][] lstm(double[][][] x, double[][] w, double[][] u, double[] bias, double[][][] dp,
            double[][][] rdp) {
        double[][][] out = new double[BATCH][STEPS][UNITS];
        for (int b = 0; b < BATCH; b++) {
            double[] h = new double[UNITS];
            double[] c = new double[UNITS];
            for (int t = 0; t < STEPS; t++) {
                double[] hNew = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    double[] z = new double[4];
                    for (int k = 0; k < 4; k++) {
                        int col = k * UNITS + j;
                        z[k] = dot(x[b][t], mask(dp, b, k), w, col) + dot(h, mask(rdp, b, k), u, col) + bias[col];
                    }
                    c[j] = sigmoid(z[1]) * c[j] + sigmoid(z[0]) * Math.tanh(z[2]);
                    hNew[j] = sigmoid(z[3]) * Math.tanh(c[j]);
                }
                h = hNew;
                out[b][t] = h.clone();
            }
        }
        return out;
    }

    /** GRUCell.call with reset_after: blocks [z, r, h], bias rows input and recurrent. */
    private static double[][][] gru(double[][][] x, double[][] w, double[][] u, double[][] bias, double[][][] dp,
            double[][][] rdp) {
        double[][][] out = new double[BATCH][STEPS][UNITS];
        for (int b = 0; b < BATCH; b++) {
            double[] h = new double[UNITS];
            for (int t = 0; t < STEPS; t++) {
                double[] hNew = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    double[] in = new double[3];
                    double[] rec = new double[3];
                    for (int k = 0; k < 3; k++) {
                        int col = k * UNITS + j;
                        in[k] = dot(x[b][t], mask(dp, b, k), w, col) + bias[0][col];
                        rec[k] = dot(h, mask(rdp, b, k), u, col) + bias[1][col];
                    }
                    double z = sigmoid(in[0] + rec[0]);
                    double r = sigmoid(in[1] + rec[1]);
                    double hh = Math.tanh(in[2] + r * rec[2]);
                    hNew[j] = z * h[j] + (1 - z) * hh;
                }
                h = hNew;
                out[b][t] = h.clone();
            }
        }
        return out;
    }

    /** SimpleRNNCell.call: h = tanh((x * dp_mask) W + b + (h * rec_dp_mask) U). */
    private static double[][][] rnn(double[][][] x, double[][] w, double[][] u, double[] bias, double[][][] dp,
            double[][][] rdp) {
        double[][][] out = new double[BATCH][STEPS][UNITS];
        for (int b = 0; b < BATCH; b++) {
            double[] h = new double[UNITS];
            for (int t = 0; t < STEPS; t++) {
                double[] hNew = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    hNew[j] = Math.tanh(dot(x[b][t], dp[b][0], w, j) + dot(h, rdp[b][0], u, j) + bias[j]);
                }
                h = hNew;
                out[b][t] = h.clone();
            }
        }
        return out;
    }

    // ---- the models

    private record Run(KilnModel model, double[][][] x, double[][] w, double[][] u, INDArray bias) {
        double[][][] training() {
            INDArray[] in = {Nd4j.create(x)};
            INDArray[] y = {Nd4j.zeros(DataType.DOUBLE, BATCH, STEPS, UNITS)};
            model.reseed(1);
            return to3d(model.computeGradients(in, y, true).predictions()[0]);
        }

        double[][][] inference() {
            return to3d(model.predictBatch(new INDArray[] {Nd4j.create(x)})[0]);
        }
    }

    private static double[][][] to3d(INDArray a) {
        double[][][] out = new double[(int) a.size(0)][(int) a.size(1)][(int) a.size(2)];
        for (int b = 0; b < out.length; b++) {
            for (int t = 0; t < out[b].length; t++) {
                for (int j = 0; j < out[b][t].length; j++) {
                    out[b][t][j] = a.getDouble(b, t, j);
                }
            }
        }
        return out;
    }

    private static double[][] matrix(SplittableRandom r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble(-0.8, 0.8);
            }
        }
        return m;
    }

    private static Run run(String model, int blocks, long[] biasShape) {
        SplittableRandom r = new SplittableRandom(model.hashCode());
        KilnModel m = LayerTesting.model(loader, "rd." + model + "Model");
        double[][] w = matrix(r, IN, blocks * UNITS);
        double[][] u = matrix(r, UNITS, blocks * UNITS);
        INDArray bias = Nd4j.create(matrix(r, 1, (int) java.util.Arrays.stream(biasShape).reduce(1, (p, q) -> p * q))[0],
                biasShape, 'c');
        Map<String, INDArray> weights = new HashMap<>();
        weights.put("h/kernel", Nd4j.create(w));
        weights.put("h/recurrent_kernel", Nd4j.create(u));
        weights.put("h/bias", bias);
        m.setWeights(weights);
        double[][][] x = new double[BATCH][STEPS][];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                x[b][t] = matrix(r, 1, IN)[0];
            }
        }
        return new Run(m, x, w, u, bias);
    }

    private static void assertClose(double[][][] expected, double[][][] actual, String label) {
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                assertArrayEquals(expected[b][t], actual[b][t], 1e-5, label + " sample " + b + " step " + t);
            }
        }
    }

    @Test
    void lstmDrawsOneMaskPerGateForInputAndStateWithRecurrentDropout() {
        Run run = run("Lstm", 4, new long[] {4 * UNITS});
        SplittableRandom seeded = new SplittableRandom(11);
        double[][][] dp = draw(seeded, 4, IN, 0.3);
        double[][][] rdp = draw(seeded, 4, UNITS, 0.4);
        double[] bias = run.bias().toDoubleVector();
        double[][][] trained = run.training();
        assertClose(lstm(run.x(), run.w(), run.u(), bias, dp, rdp), trained, "training");
        assertClose(lstm(run.x(), run.w(), run.u(), bias, ones(1, IN), ones(1, UNITS)), run.inference(),
                "inference");
        assertFalse(java.util.Arrays.deepEquals(trained, run.inference()), "training drops, inference does not");
    }

    @Test
    void lstmWithoutRecurrentDropoutSharesOneInputMaskAcrossGates() {
        Run run = run("LstmInput", 4, new long[] {4 * UNITS});
        double[][][] dp = draw(new SplittableRandom(11), 1, IN, 0.3);
        assertClose(lstm(run.x(), run.w(), run.u(), run.bias().toDoubleVector(), dp, ones(1, UNITS)),
                run.training(), "training");
    }

    @Test
    void gruDrawsOneMaskPerGateForInputAndStateWithRecurrentDropout() {
        Run run = run("Gru", 3, new long[] {2, 3 * UNITS});
        SplittableRandom seeded = new SplittableRandom(11);
        double[][][] dp = draw(seeded, 3, IN, 0.3);
        double[][][] rdp = draw(seeded, 3, UNITS, 0.4);
        double[][] bias = run.bias().toDoubleMatrix();
        assertClose(gru(run.x(), run.w(), run.u(), bias, dp, rdp), run.training(), "training");
        assertClose(gru(run.x(), run.w(), run.u(), bias, ones(1, IN), ones(1, UNITS)), run.inference(),
                "inference");
    }

    @Test
    void gruWithoutRecurrentDropoutSharesOneInputMaskAcrossGates() {
        Run run = run("GruInput", 3, new long[] {2, 3 * UNITS});
        double[][][] dp = draw(new SplittableRandom(11), 1, IN, 0.5);
        assertClose(gru(run.x(), run.w(), run.u(), run.bias().toDoubleMatrix(), dp, ones(1, UNITS)), run.training(),
                "training");
    }

    @Test
    void simpleRnnDrawsOneInputMaskAndOneStateMask() {
        Run run = run("Rnn", 1, new long[] {UNITS});
        SplittableRandom seeded = new SplittableRandom(11);
        double[][][] dp = draw(seeded, 1, IN, 0.3);
        double[][][] rdp = draw(seeded, 1, UNITS, 0.4);
        double[] bias = run.bias().toDoubleVector();
        assertClose(rnn(run.x(), run.w(), run.u(), bias, dp, rdp), run.training(), "training");
        assertClose(rnn(run.x(), run.w(), run.u(), bias, ones(1, IN), ones(1, UNITS)), run.inference(),
                "inference");
    }

    @Test
    void eachBatchDrawsFreshMasks() {
        Run run = run("Lstm", 4, new long[] {4 * UNITS});
        INDArray[] in = {Nd4j.create(run.x())};
        INDArray[] y = {Nd4j.zeros(DataType.DOUBLE, BATCH, STEPS, UNITS)};
        double first = run.model().computeGradients(in, y, true).loss();
        double second = run.model().computeGradients(in, y, true).loss();
        assertFalse(first == second, "the second batch draws new masks");
        run.model().reseed(1);
        double replayed = run.model().computeGradients(in, y, true).loss();
        assertEquals(first, replayed, 0, "reseeding replays the masks of a seeded layer");
    }

    @Test
    void gradientsMatchFiniteDifferencesWithTheMasksReplayed() {
        for (String model : new String[] {"Lstm", "LstmInput", "Gru", "GruInput", "Rnn", "Stack", "Shared", "Open"}) {
            LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "rd." + model + "Model"), model);
        }
    }

    @Test
    void aRateOfOneIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 2}) Tensor x();
                    @GRU(units = 4, recurrentDropout = 1.0) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "1.0)",
                "[kiln/IllegalAttribute] GRU 'y' has recurrentDropout = 1.0, but it is the fraction of the previous"
                        + " state's units dropped in training and must lie in [0, 1). Use e.g. @GRU(units = 32,"
                        + " recurrentDropout = 0.2).");
    }
}
