package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code @Bidirectional} with states, as Keras's wrapper: {@code returnState} gives the forward copy's final states,
 * then the backward copy's ({@code forwardH}, {@code forwardC}, {@code backwardH}, {@code backwardC}), and
 * {@code @InitialState} parameters feed them in that order; a bidirectional encoder starts a bidirectional decoder,
 * with a mask and a sequence of padding only.
 */
class BidirectionalStatesTest {
    private static final int[][] IDS = {{0, 0, 0, 0}, {2, 0, 3, 1}, {1, 2, 3, 1}};

    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("bistate.EncDec", """
                package bistate;
                import dev.kiln.dsl.*;
                @Model interface EncDec {
                    @Input(shape = 4, dtype = DType.INT32) Tensor sourceIds();
                    @Embedding(inputDim = 4, outputDim = 3, maskZero = true) Tensor source(Tensor sourceIds);
                    @Input(shape = {3, 2}) Tensor target();
                    @Bidirectional @LSTM(units = 2, returnState = true) Tensor encoder(Tensor source);
                    @Part("forwardH") Tensor fh(Tensor encoder);
                    @Part("forwardC") Tensor fc(Tensor encoder);
                    @Part("backwardH") Tensor bh(Tensor encoder);
                    @Part("backwardC") Tensor bc(Tensor encoder);
                    @Bidirectional(mergeMode = MergeMode.SUM) @LSTM(units = 2, returnSequences = true)
                    Tensor decoder(Tensor target, @InitialState Tensor fh, @InitialState Tensor fc,
                            @InitialState Tensor bh, @InitialState Tensor bc);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor decoder);
                }
                """, "bistate.Gru", """
                package bistate;
                import dev.kiln.dsl.*;
                @Model interface Gru {
                    @Input(shape = 4, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 4, outputDim = 3, maskZero = true) Tensor v(Tensor ids);
                    @Bidirectional(mergeMode = MergeMode.MUL) @GRU(units = 2, returnState = true, returnSequences = true)
                    Tensor both(Tensor v);
                    @Part("backwardH") @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor back(Tensor both);
                    @GlobalAveragePooling1D Tensor pooled(Tensor both);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor pooled);
                }
                """);
    }

    @Test
    void aBidirectionalEncoderStartsABidirectionalDecoder() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bistate.EncDecModel"), "bidirectional enc-dec",
                Map.of("sourceIds", Nd4j.createFromArray(IDS)));
    }

    @Test
    void oneCopysStateAsAnOutputBesideTheSequence() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bistate.GruModel"), "bidirectional GRU state",
                Map.of("ids", Nd4j.createFromArray(IDS)));
    }

    /**
     * Each copy's final state is where it ends: the forward copy's at the last step, the backward copy's at the first
     * (it reads the steps last to first). With returnSequences the merged output holds both at those steps.
     */
    @Test
    void theStatesAreEachCopysLast() {
        KilnModel m = LayerTesting.model(loader, "bistate.EncDecModel");
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 2, 3, 1}});
        Map<String, INDArray> v = m.predictNodes(Map.of("sourceIds", ids, "target", Nd4j.zeros(1, 3, 2)), "encoder",
                "fh", "bh", "fc", "bc");
        // concat without sequences: the forward copy's last output, then the backward copy's
        INDArray out = v.get("encoder");
        assertTrue(out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).equalsWithEps(v.get("fh"), 1e-12));
        assertTrue(out.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).equalsWithEps(v.get("bh"), 1e-12));
        assertEquals(List.of("forwardH", "forwardC", "backwardH", "backwardC"),
                m.spec().node("encoder").config().partNames());
    }
}
