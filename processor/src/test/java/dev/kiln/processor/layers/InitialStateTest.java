package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code initial_state}: the encoder–decoder pattern, a decoder started from the encoder's final states
 * ({@code @InitialState} parameters fed by {@code @Part}s), with the gradients flowing back through the states into the
 * encoder and its inputs; states fed by inputs, by one node twice, and to a shared layer; the cell equations from a
 * given state by hand; a sequence of padding only keeps its initial state.
 */
class InitialStateTest {
    /** Decoder ids: padding only, padded in the middle, none. */
    private static final int[][] IDS = {{0, 0, 0, 0, 0}, {3, 1, 0, 2, 0}, {1, 2, 3, 1, 2}};

    private static ClassLoader loader;

    /**
     * An encoder over float steps whose final states start a decoder over masked ids: only the states of the encoder
     * are consumed, so its gradient comes through them alone.
     */
    static String encoderDecoder(String layer) {
        boolean lstm = layer.equals("LSTM");
        return """
                package init;
                import dev.kiln.dsl.*;
                @Model interface %sEncDec {
                    @Input(shape = {4, 3}) Tensor source();
                    @Input(shape = 5, dtype = DType.INT32) Tensor targetIds();
                    @Embedding(inputDim = 4, outputDim = 2, maskZero = true) Tensor target(Tensor targetIds);
                    @%s(units = 3, returnState = true) Tensor encoder(Tensor source);
                    @Part("h") Tensor stateH(Tensor encoder);
                    %s
                    @%s(units = 3, returnSequences = true)
                    Tensor decoder(Tensor target, @InitialState Tensor stateH%s);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor decoder);
                }
                """.formatted(layer, layer, lstm ? "@Part(\"c\") Tensor stateC(Tensor encoder);" : "", layer,
                lstm ? ", @InitialState Tensor stateC" : "");
    }

    @BeforeAll
    static void compile() {
        List<String> sources = new ArrayList<>();
        for (String layer : List.of("LSTM", "GRU", "SimpleRNN")) {
            sources.add("init." + layer + "EncDec");
            sources.add(encoderDecoder(layer));
        }
        sources.addAll(List.of("init.Inputs", """
                package init;
                import dev.kiln.dsl.*;
                @Model interface Inputs {
                    @Input(shape = 5, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 4, outputDim = 2, maskZero = true) Tensor v(Tensor ids);
                    @Input(shape = 2) Tensor h0();
                    @Input(shape = 2) Tensor c0();
                    @LSTM(units = 2, returnSequences = true, returnState = true, goBackwards = true)
                    @Output(loss = Loss.MEAN_SQUARED_ERROR)
                    Tensor decoder(Tensor v, @InitialState Tensor h0, @InitialState Tensor c0);
                    @Part("h") @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor h(Tensor decoder);
                    @Part("c") @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor c(Tensor decoder);
                }
                """, "init.Twice", """
                package init;
                import dev.kiln.dsl.*;
                @Model interface Twice {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = 2) Tensor z();
                    @Dense(units = 3, activation = Activation.TANH) Tensor s(Tensor z);
                    @LSTM(units = 3) Tensor decoder(Tensor x, @InitialState @From("s") Tensor h,
                            @InitialState @From("s") Tensor c);
                    @Concatenate Tensor both(Tensor decoder, Tensor s);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor both);
                }
                """, "init.Shared", """
                package init;
                import dev.kiln.dsl.*;
                @Model interface Shared {
                    @Input(shape = {4, 3}) Tensor a();
                    @Input(shape = {3, 3}) Tensor b();
                    @GRU(units = 2, returnState = true) Tensor first(Tensor a);
                    @Part("h") Tensor firstH(Tensor first);
                    @dev.kiln.dsl.Shared("first") Tensor second(Tensor b, @InitialState Tensor firstH);
                    @Part("h") Tensor secondH(Tensor second);
                    @Concatenate Tensor both(Tensor first, Tensor second, Tensor secondH);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor both);
                }
                """, "init.Dropped", """
                package init;
                import dev.kiln.dsl.*;
                @Model interface Dropped {
                    @Input(shape = {4, 3}) Tensor source();
                    @Input(shape = {3, 2}) Tensor target();
                    @LSTM(units = 3, returnState = true, dropout = 0.3, recurrentDropout = 0.4, seed = 7)
                    Tensor encoder(Tensor source);
                    @Part("h") Tensor h(Tensor encoder);
                    @Part("c") Tensor c(Tensor encoder);
                    @LSTM(units = 3, returnSequences = true, returnState = true, dropout = 0.2, seed = 8)
                    Tensor decoder(Tensor target, @InitialState Tensor h, @InitialState Tensor c);
                    @Part("c") Tensor decoderC(Tensor decoder);
                    @Dense(units = 2) Tensor g(Tensor decoderC);
                    @GRU(units = 2, recurrentDropout = 0.3, seed = 9) Tensor tail(Tensor decoder, @InitialState Tensor g);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor tail);
                }
                """, "init.One", """
                package init;
                import dev.kiln.dsl.*;
                @Model interface One {
                    @Input(shape = {2, 1}) Tensor x();
                    @Input(shape = 1) Tensor h0();
                    @Input(shape = 1) Tensor c0();
                    @LSTM(units = 1, returnState = true) Tensor y(Tensor x, @InitialState Tensor h0,
                            @InitialState Tensor c0);
                    @Part("h") @Output Tensor h(Tensor y);
                    @Part("c") @Output Tensor c(Tensor y);
                }
                """));
        loader = LayerTesting.compile(sources.toArray(String[]::new));
    }

    private static KilnModel model(String name) {
        return LayerTesting.model(loader, "init." + name + "Model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU", "SimpleRNN"})
    void gradientsFlowThroughTheStatesIntoTheEncoder(String layer) {
        KilnModel m = model(layer + "EncDec");
        LayerTesting.assertGradientsMatch(m, layer + " encoder-decoder", Map.of("targetIds",
                Nd4j.createFromArray(IDS)));
        // the encoder's output feeds nothing: all it learns comes through the decoder's initial states
        m.computeGradients(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 3, 4, 3), Nd4j.createFromArray(IDS)},
                new INDArray[] {Nd4j.rand(DataType.DOUBLE, 3, 5, 2)}, false);
        assertTrue(m.gradients().get("encoder/kernel").norm2Number().doubleValue() > 0);
        Tape.Gradients g = m.tape(Map.of("source", Nd4j.rand(DataType.DOUBLE, 3, 4, 3), "targetIds",
                Nd4j.createFromArray(IDS)), false).backward(Map.of("y", Nd4j.ones(DataType.DOUBLE, 3, 5, 2)));
        assertTrue(g.inputs().get("source").norm2Number().doubleValue() > 0, "the source's gradient, via the states");
    }

    /** Keras's summary: no row for a state, the decoder connected to outputs 1 and 2 of the encoder's call. */
    @Test
    void theSummaryConnectsTheDecoderToTheEncodersStates() {
        String summary = model("LSTMEncDec").summary();
        assertTrue(summary.contains("│ decoder (LSTM)         │ (None, 5, 3) │      72 │ target[0][0], encoder[0][1],"
                + " encoder[0][2] │"), summary);
        assertTrue(!summary.contains("stateH") && !summary.contains("Part"), summary);
    }

    @Test
    void gradientsFromInputStatesAndIntoThem() {
        LayerTesting.assertGradientsMatch(model("Inputs"), "states from inputs", Map.of("ids",
                Nd4j.createFromArray(IDS)));
    }

    /** Dropout and recurrent dropout on layers with states: the training pass's masks replayed. */
    @Test
    void statesWithRecurrentDropout() {
        LayerTesting.assertGradientsMatch(model("Dropped"), "states and dropout");
    }

    @Test
    void oneNodeFeedsBothStates() {
        LayerTesting.assertGradientsMatch(model("Twice"), "one node, both states");
    }

    @Test
    void aSharedLayerStartsFromItsOwnApplicationsState() {
        LayerTesting.assertGradientsMatch(model("Shared"), "shared GRU, chained through its state");
    }

    /**
     * A sequence of padding only starts and ends in its initial states; every output step repeats {@code h}, as
     * Keras 3 computes a masked step's output (the state it keeps) on its JAX and NumPy backends.
     */
    @Test
    void aSequenceOfPaddingOnlyKeepsItsInitialState() {
        KilnModel m = model("Inputs");
        INDArray h0 = Nd4j.create(new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}});
        INDArray c0 = Nd4j.create(new double[][] {{1.3, -1.2}, {0.2, 0.9}, {-0.6, 0.4}});
        INDArray[] out = m.predictBatch(new INDArray[] {Nd4j.createFromArray(IDS), h0, c0});
        assertArrayEquals(h0.getRow(0).toDoubleVector(), out[1].getRow(0).toDoubleVector(), 0);
        assertArrayEquals(c0.getRow(0).toDoubleVector(), out[2].getRow(0).toDoubleVector(), 0);
        for (int t = 0; t < 5; t++) {
            assertArrayEquals(h0.getRow(0).toDoubleVector(), new double[] {out[0].getDouble(0, t, 0),
                out[0].getDouble(0, t, 1)}, 0);
        }
        assertTrue(Math.abs(out[1].getDouble(1, 0) - h0.getDouble(1, 0)) > 1e-3, "a sequence with steps moves on");
    }

    /** Keras's cell equations from given states, one unit, two steps. */
    @Test
    void fromGivenStatesByHand() {
        KilnModel m = model("One");
        m.setWeights(OneUnitLstm.weights("y"));
        double[] expected = OneUnitLstm.run(0.6, -0.9, 1.5, -0.7);
        INDArray[] out = m.predictBatch(new INDArray[] {Nd4j.create(new double[] {1.5, -0.7}, new long[] {1, 2, 1},
                'c'), Nd4j.create(new double[][] {{0.6}}), Nd4j.create(new double[][] {{-0.9}})});
        assertEquals(expected[0], out[0].getDouble(0, 0), 1e-15);
        assertEquals(expected[1], out[1].getDouble(0, 0), 1e-15);
    }
}
