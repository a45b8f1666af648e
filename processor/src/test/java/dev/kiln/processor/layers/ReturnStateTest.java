package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code return_state} on {@code LSTM}, {@code GRU} and {@code SimpleRNN}: the final states as parts of the
 * node ({@code @Part("h")}, an LSTM's {@code @Part("c")}), with {@code returnSequences} on and off, {@code goBackwards},
 * and masks, where the state is the last unmasked step's (zeros for a sequence of padding only). Values by hand and
 * against the naive references, float64 gradients against finite differences, the tape and the references; the
 * parameter counts are Keras's, as without states.
 */
class ReturnStateTest {
    /** A batch of ids: a sequence of padding only, one padded in the middle and at the end, one without padding. */
    static final int[][] IDS = {{0, 0, 0, 0, 0}, {2, 0, 3, 1, 0}, {1, 2, 3, 1, 2}};

    private static ClassLoader loader;

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (String layer : List.of("LSTM", "GRU", "SimpleRNN")) {
            for (boolean sequences : new boolean[] {false, true}) {
                for (boolean backwards : new boolean[] {false, true}) {
                    out.add(Arguments.of(layer, sequences, backwards));
                }
            }
        }
        return out.stream();
    }

    static String modelName(String layer, boolean sequences, boolean backwards) {
        return layer + (sequences ? "Sequences" : "Last") + (backwards ? "Backwards" : "");
    }

    /**
     * Ids through a masking embedding into the layer with {@code returnState}; the output (pooled over the steps when it
     * has them) and the states join in one head, and {@code h} is an output of its own as well.
     */
    static String source(String layer, boolean sequences, boolean backwards) {
        boolean lstm = layer.equals("LSTM");
        return """
                package state;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = 5, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 4, outputDim = 3, maskZero = true) Tensor vectors(Tensor ids);
                    @%s(units = 3, returnState = true, returnSequences = %s, goBackwards = %s) Tensor rnn(Tensor vectors);
                    @Part("h") @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor h(Tensor rnn);
                    %s
                    %s Tensor summary(Tensor rnn);
                    @Concatenate Tensor both(Tensor summary, Tensor h%s);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor both);
                }
                """.formatted(modelName(layer, sequences, backwards), layer, sequences, backwards,
                lstm ? "@Part(\"c\") Tensor c(Tensor rnn);" : "",
                sequences ? "@GlobalAveragePooling1D" : "@Dense(units = 2, activation = Activation.TANH)",
                lstm ? ", Tensor c" : "");
    }

    @BeforeAll
    static void compile() {
        List<String> sources = new ArrayList<>();
        variants().forEach(a -> {
            Object[] v = a.get();
            sources.add("state." + modelName((String) v[0], (Boolean) v[1], (Boolean) v[2]));
            sources.add(source((String) v[0], (Boolean) v[1], (Boolean) v[2]));
        });
        sources.addAll(List.of("state.OneLSTM", """
                package state;
                import dev.kiln.dsl.*;
                @Model interface OneLSTM {
                    @Input(shape = {3, 1}) Tensor x();
                    @LSTM(units = 1, returnState = true) Tensor y(Tensor x);
                    @Part("h") @Output Tensor h(Tensor y);
                    @Part("c") @Output Tensor c(Tensor y);
                }
                """, "state.OneGRU", """
                package state;
                import dev.kiln.dsl.*;
                @Model interface OneGRU {
                    @Input(shape = {3, 1}) Tensor x();
                    @GRU(units = 1, returnState = true, returnSequences = true, goBackwards = true) Tensor y(Tensor x);
                    @Part("h") @Output Tensor h(Tensor y);
                }
                """));
        loader = LayerTesting.compile(sources.toArray(String[]::new));
    }

    private static KilnModel model(String layer, boolean sequences, boolean backwards) {
        return LayerTesting.model(loader, "state." + modelName(layer, sequences, backwards) + "Model");
    }

    @ParameterizedTest(name = "{0}, returnSequences = {1}, goBackwards = {2}")
    @MethodSource("variants")
    void gradientsThroughTheStatesWithAMaskAndASequenceOfPaddingOnly(String layer, boolean sequences,
            boolean backwards) {
        LayerTesting.assertGradientsMatch(model(layer, sequences, backwards), modelName(layer, sequences, backwards),
                Map.of("ids", Nd4j.createFromArray(IDS)));
    }

    /**
     * The state {@code h} is the output's last step in processing order (the output itself without
     * {@code returnSequences}); a masked sequence's state is its last unmasked step's, so padding anywhere leaves the
     * states as the unpadded sequence's; a sequence of padding only keeps the zeros it starts from.
     */
    @ParameterizedTest(name = "{0}, returnSequences = {1}, goBackwards = {2}")
    @MethodSource("variants")
    void theStatesAreTheLastUnmaskedStepsAsKerasReturnsThem(String layer, boolean sequences, boolean backwards) {
        KilnModel m = model(layer, sequences, backwards);
        boolean lstm = layer.equals("LSTM");
        String[] nodes = lstm ? new String[] {"rnn", "h", "c"} : new String[] {"rnn", "h"};
        Map<String, INDArray> plain = m.predictNodes(Map.of("ids", Nd4j.createFromArray(new int[][] {{2, 3, 1, 2, 1}})),
                nodes);
        INDArray out = plain.get("rnn");
        INDArray last = sequences ? out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(4), org.nd4j.linalg.indexing.NDArrayIndex.all()) : out;
        assertTrue(last.equalsWithEps(plain.get("h"), 1e-12), "h is the output's last step");

        Map<String, INDArray> padded = m.predictNodes(Map.of("ids", Nd4j.createFromArray(new int[][] {
            {2, 3, 1, 0, 0}, {0, 2, 3, 0, 1}, {0, 0, 0, 0, 0}})), nodes);
        for (String state : lstm ? List.of("h", "c") : List.of("h")) {
            INDArray v = padded.get(state);
            // the same three ids, with padding after, between or before: the same final state
            assertArrayEquals(v.getRow(0).toDoubleVector(), v.getRow(1).toDoubleVector(), 1e-12, state);
            assertArrayEquals(new double[3], v.getRow(2).toDoubleVector(), 0, state + " of padding only");
        }
    }

    /** In float32, every node's value (states included) agrees with the naive reference's to 1e-5. */
    @ParameterizedTest(name = "{0}, returnSequences = {1}, goBackwards = {2}")
    @MethodSource("variants")
    void float32ValuesAgreeWithTheNaiveReference(String layer, boolean sequences, boolean backwards) {
        KilnModel m = ModelCompiler.create(loader, "state." + modelName(layer, sequences, backwards) + "Model", 7,
                DataType.FLOAT);
        INDArray ids = Nd4j.createFromArray(IDS);
        Map<String, INDArray> expected = new ReferenceInterpreter(m.spec(), m.getWeights()).forward(ids);
        String[] nodes = m.spec().nodes().stream().map(n -> n.name()).filter(n -> !n.equals("ids"))
                .toArray(String[]::new);
        Map<String, INDArray> actual = m.predictNodes(Map.of("ids", ids), nodes);
        for (String n : nodes) {
            assertTrue(expected.get(n).castTo(DataType.FLOAT).equalsWithEps(actual.get(n), 1e-5), n);
        }
    }

    /** Keras's count, {@code 4(u(in + u) + u)} for the LSTM: states add no weights. */
    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU", "SimpleRNN"})
    void statesAddNoParameters(String layer) {
        long u = 3;
        long in = 3;
        long rnn = switch (layer) {
            case "LSTM" -> 4 * (u * (in + u) + u);
            case "GRU" -> 3 * (u * (in + u) + 2 * u);
            default -> u * (in + u) + u;
        };
        long summary = u * 2 + 2; // the Dense on the last output
        long head = (2 + u * (layer.equals("LSTM") ? 2 : 1)) * 2 + 2;
        assertEquals(4 * 3 + rnn + summary + head, model(layer, false, false).countParams());
    }

    /** One unit, three steps, Keras's cell equations written out: the final {@code h} and {@code c}. */
    @Test
    void lstmStatesByHand() {
        KilnModel m = LayerTesting.model(loader, "state.OneLSTMModel");
        m.setWeights(OneUnitLstm.weights("y"));
        double[] expected = OneUnitLstm.run(0, 0, 1.5, -0.7, 0.4);
        INDArray x = Nd4j.create(new double[] {1.5, -0.7, 0.4}, new long[] {1, 3, 1}, 'c');
        INDArray[] out = m.predictBatch(new INDArray[] {x});
        assertEquals(expected[0], out[0].getDouble(0, 0), 1e-15);
        assertEquals(expected[1], out[1].getDouble(0, 0), 1e-15);
    }

    /** Backwards over the steps: the state is the one after the first input step, read last. */
    @Test
    void gruStateGoingBackwardsByHand() {
        KilnModel m = LayerTesting.model(loader, "state.OneGRUModel");
        // blocks [z, r, h]; bias rows: the input's, the recurrent projection's
        m.setWeights(Map.of("y/kernel", Nd4j.create(new double[][] {{0.5, -0.3, 0.8}}),
                "y/recurrent_kernel", Nd4j.create(new double[][] {{0.2, 0.4, -0.6}}),
                "y/bias", Nd4j.create(new double[][] {{0.1, 0.2, -0.1}, {0.05, -0.2, 0.3}})));
        double h = 0;
        for (double x : new double[] {0.4, -0.7, 1.5}) { // the input reversed
            double z = OneUnitLstm.sigmoid(0.5 * x + 0.1 + 0.2 * h + 0.05);
            double r = OneUnitLstm.sigmoid(-0.3 * x + 0.2 + 0.4 * h - 0.2);
            double hh = Math.tanh(0.8 * x - 0.1 + r * (-0.6 * h + 0.3));
            h = z * h + (1 - z) * hh;
        }
        INDArray x = Nd4j.create(new double[] {1.5, -0.7, 0.4}, new long[] {1, 3, 1}, 'c');
        assertEquals(h, m.predictBatch(new INDArray[] {x})[0].getDouble(0, 0), 1e-15);
    }
}
