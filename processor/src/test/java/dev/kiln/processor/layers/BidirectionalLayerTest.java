package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Bidirectional} beside a recurrent layer: Keras's weight names and order, twice the parameters, both copies'
 * LSTM forget bias; forward values against the cells written out (the backward copy flipped, masked steps zeros);
 * gradients in every merge mode, with and without sequences and masks; its diagnostics.
 */
class BidirectionalLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("bi.Tagger", """
                package bi;
                import dev.kiln.dsl.*;
                @Model interface Tagger {
                    @Input(shape = {Input.NONE, 3}) Tensor steps();
                    @Bidirectional @LSTM(units = 4, returnSequences = true) Tensor both(Tensor steps);
                    @Dense(units = 2, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor tag(Tensor both);
                }
                """, "bi.Hand", """
                package bi;
                import dev.kiln.dsl.*;
                @Model interface Hand {
                    @Input(shape = {4, 2}) Tensor x();
                    @Masking Tensor m(Tensor x);
                    @Bidirectional @SimpleRNN(units = 2, returnSequences = true) @Output Tensor y(Tensor m);
                }
                """, "bi.Modes", """
                package bi;
                import dev.kiln.dsl.*;
                @Model interface Modes {
                    @Input(shape = 5, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 3, outputDim = 3, maskZero = true) Tensor v(Tensor ids);
                    @Bidirectional(mergeMode = MergeMode.SUM) @GRU(units = 3, returnSequences = true) Tensor a(Tensor v);
                    @Bidirectional(mergeMode = MergeMode.MUL) @LSTM(units = 2, returnSequences = true) Tensor b(Tensor a);
                    @Bidirectional(mergeMode = MergeMode.AVE) @SimpleRNN(units = 2, returnSequences = true)
                    Tensor c(Tensor b);
                    @Bidirectional @GRU(units = 2, goBackwards = true) Tensor d(Tensor c);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor d);
                }
                """, "bi.Last", """
                package bi;
                import dev.kiln.dsl.*;
                @Model interface Last {
                    @Input(shape = {4, 3}) Tensor x();
                    @Bidirectional(mergeMode = MergeMode.MUL) @LSTM(units = 3, dropout = 0.2, recurrentDropout = 0.2)
                    Tensor a(Tensor x);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor a);
                }
                """);
    }

    @Test
    void weightsInKerasOrderAndNamesTwiceTheLayers() {
        KilnModel m = LayerTesting.model(loader, "bi.TaggerModel");
        Map<String, INDArray> w = m.getWeights();
        List<String> names = m.spec().variables().stream().map(v -> v.name()).toList();
        assertEquals(List.of("both/forward_lstm/kernel", "both/forward_lstm/recurrent_kernel", "both/forward_lstm/bias",
                "both/backward_lstm/kernel", "both/backward_lstm/recurrent_kernel", "both/backward_lstm/bias",
                "tag/kernel", "tag/bias"), names);
        for (String copy : new String[] {"forward_lstm", "backward_lstm"}) {
            assertArrayEquals(new long[] {3, 16}, w.get("both/" + copy + "/kernel").shape());
            assertArrayEquals(new long[] {4, 16}, w.get("both/" + copy + "/recurrent_kernel").shape());
            assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                    w.get("both/" + copy + "/bias").data().asDouble(), 0, copy + ": unit_forget_bias");
        }
        long lstm = 4 * (4 * (3 + 4) + 4);
        assertEquals(2 * lstm + (8 * 2 + 2), m.countParams());
        String summary = m.summary();
        assertTrue(summary.contains("Bidirectional") && summary.contains(String.format("%,d", 2 * lstm)), summary);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 3);
        assertArrayEquals(new long[] {2, 5, 2}, m.predictBatch(new INDArray[] {x})[0].shape());
    }

    /** Keras's SimpleRNN over one sample's steps (reversed with goBackwards), skipping masked ones, each step's h. */
    private static double[][] rnn(double[][] x, boolean[] keep, double[][] w, double[][] u, double[] b,
            boolean backwards) {
        int steps = x.length;
        double[][] out = new double[steps][];
        double[] h = new double[2];
        for (int s = 0; s < steps; s++) {
            int t = backwards ? steps - 1 - s : s;
            if (keep[t]) {
                double[] next = new double[2];
                for (int j = 0; j < 2; j++) {
                    double z = b[j];
                    for (int i = 0; i < 2; i++) {
                        z += x[t][i] * w[i][j] + h[i] * u[i][j];
                    }
                    next[j] = Math.tanh(z);
                }
                h = next;
            }
            out[s] = h;
        }
        return out;
    }

    @Test
    void forwardValuesFlipTheBackwardCopyAndZeroMaskedSteps() {
        KilnModel m = LayerTesting.model(loader, "bi.HandModel");
        double[][] wf = {{0.5, -0.3}, {0.8, 0.1}};
        double[][] uf = {{0.2, 0.4}, {-0.6, 0.3}};
        double[] bf = {0.1, -0.2};
        double[][] wb = {{-0.4, 0.7}, {0.2, -0.9}};
        double[][] ub = {{0.3, -0.1}, {0.5, 0.2}};
        double[] bb = {-0.05, 0.15};
        m.setWeights(Map.of("y/forward_simple_rnn/kernel", Nd4j.create(wf),
                "y/forward_simple_rnn/recurrent_kernel", Nd4j.create(uf), "y/forward_simple_rnn/bias",
                Nd4j.create(bf), "y/backward_simple_rnn/kernel", Nd4j.create(wb),
                "y/backward_simple_rnn/recurrent_kernel", Nd4j.create(ub), "y/backward_simple_rnn/bias",
                Nd4j.create(bb)));
        double[][][] x = {{{1.5, -0.7}, {0.3, 0.9}, {-1.1, 0.4}, {0.6, 0.2}},
            {{0.2, 0.5}, {0, 0}, {0.8, -0.3}, {0, 0}}}; // the second sample's steps 1 and 3 are masked
        INDArray y = m.predictBatch(new INDArray[] {Nd4j.create(x)})[0];
        for (int b = 0; b < 2; b++) {
            boolean[] keep = new boolean[4];
            for (int t = 0; t < 4; t++) {
                keep[t] = x[b][t][0] != 0 || x[b][t][1] != 0;
            }
            double[][] f = rnn(x[b], keep, wf, uf, bf, false);
            double[][] r = rnn(x[b], keep, wb, ub, bb, true);
            for (int t = 0; t < 4; t++) {
                double[] expected = keep[t] ? new double[] {f[t][0], f[t][1], r[3 - t][0], r[3 - t][1]}
                        : new double[4];
                assertArrayEquals(expected, y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(t)).toDoubleVector(), 1e-12,
                        "sample " + b + " step " + t);
            }
        }
    }

    @Test
    void gradientsInEveryMergeModeWithMasksAndDropout() {
        KilnModel tagger = LayerTesting.model(loader, "bi.TaggerModel");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 3).subi(0.5);
        GradientCheck.Result r = GradientCheck.check(tagger, new INDArray[] {x},
                new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 2, 5)}, 40, 1e-6, 5);
        assertTrue(r.passed(), () -> "concat, sequences: " + r.failures());
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bi.ModesModel"), "sum, mul, ave, concat, masks");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bi.LastModel"), "mul, last step, dropout");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bi.HandModel"), "masking, concat");
    }

    @Test
    void aWrapperWithoutARecurrentLayerIsAnError() {
        String alone = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 2}) Tensor x();
                    @Bidirectional @Output Tensor y(Tensor x);
                }
                """;
        Diagnosed.assertAt(Diagnosed.only(Diagnosed.compile("demo.Net", alone)), Diagnostic.Kind.ERROR, alone,
                "@Bidirectional", "[kiln/LayerAnnotation] Bidirectional 'y' wraps the recurrent layer annotated beside"
                        + " it, but 'y' has none. Add one, e.g. @Bidirectional @LSTM(units = 32).");
        String dense = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 2}) Tensor x();
                    @Bidirectional @Dense(units = 3) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", dense);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, dense, "@Dense", "[kiln/LayerAnnotation]"
                + " Bidirectional 'y' wraps a recurrent layer (@LSTM, @GRU or @SimpleRNN), but 'y' has @Dense.");
    }

    @Test
    void theWrappedLayersRulesStillHold() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 2}) Tensor x();
                    @Bidirectional @LSTM(units = 0) @Output Tensor y(Tensor x);
                }
                """;
        Diagnosed.assertAt(Diagnosed.only(Diagnosed.compile("demo.Net", source)), Diagnostic.Kind.ERROR, source,
                "0)", "[kiln/IllegalAttribute] LSTM 'y' has units = 0, but a recurrent layer needs at least one unit."
                        + " Use e.g. @LSTM(units = 32).");
    }
}
