package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.KilnModel;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A nested model with several {@code @Output}s, as Keras's VAE writes {@code z_mean, z_log_var, z = encoder(x)}: the
 * node's value is the first output, and {@code @Part} selects the others by their node names. Every output is
 * reachable: as a loss's output, into further layers, through a second application with the same weights, in the
 * typed API, {@code predictNodes} and the summary's connections; its values are the nested model's own.
 */
class NestedOutputsTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("vae.Encoder", """
                package vae;
                import dev.kiln.dsl.*;
                @Model interface Encoder {
                    @Input(shape = 4) Tensor x();
                    @Dense(units = 3, activation = Activation.TANH) Tensor hidden(Tensor x);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor zMean(Tensor hidden);
                    @Dense(units = 2, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor zLogVar(Tensor hidden);
                    @Add @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor z(Tensor zMean, Tensor zLogVar);
                }
                """, "vae.Vae", """
                package vae;
                import dev.kiln.dsl.*;
                @Model interface Vae {
                    @Input(shape = 4) Tensor x();
                    @Input(shape = 4) Tensor other();
                    @Nested(Encoder.class) Tensor encoder(Tensor x);
                    @Part("zLogVar") @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor logVar(Tensor encoder);
                    @Part("z") Tensor z(Tensor encoder);
                    @Dense(units = 4) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor decoded(Tensor z);
                    @Shared("encoder") Tensor again(Tensor other);
                    @Part("z") Tensor zAgain(Tensor again);
                    @Concatenate @Output(loss = Loss.MEAN_SQUARED_ERROR)
                    Tensor stats(Tensor encoder, Tensor logVar, Tensor zAgain);
                }
                """);
    }

    private static KilnModel vae() {
        return LayerTesting.model(loader, "vae.VaeModel");
    }

    @Test
    void gradientsReachEveryOutputOfTheNestedModel() {
        LayerTesting.assertGradientsMatch(vae(), "nested model with three outputs, applied twice");
    }

    /** The parts are the nested model's own outputs: the encoder compiled alone, with the same weights, gives them. */
    @Test
    void thePartsAreTheNestedModelsOutputs() {
        KilnModel outer = vae();
        KilnModel inner = LayerTesting.model(loader, "vae.EncoderModel");
        Map<String, INDArray> weights = new HashMap<>();
        outer.getWeights().forEach((k, w) -> {
            if (k.startsWith("encoder/")) {
                weights.put(k.substring("encoder/".length()), w);
            }
        });
        inner.setWeights(weights);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
        INDArray other = Nd4j.rand(DataType.DOUBLE, 5, 4);
        Map<String, INDArray> v = outer.predictNodes(Map.of("x", x, "other", other), "encoder", "logVar", "z",
                "zAgain");
        INDArray[] own = inner.predictBatch(new INDArray[] {x});
        assertTrue(own[0].equalsWithEps(v.get("encoder"), 1e-12), "the first output is the node's value");
        assertTrue(own[1].equalsWithEps(v.get("logVar"), 1e-12), "zLogVar");
        assertTrue(own[2].equalsWithEps(v.get("z"), 1e-12), "z");
        assertTrue(inner.predictBatch(new INDArray[] {other})[2].equalsWithEps(v.get("zAgain"), 1e-12),
                "z of the second application, on the same weights");
    }

    /**
     * A part that is an {@code @Output} is a field of the typed {@code Outputs} record, in declaration order. The
     * summary prints Keras's table: the nested model is one {@code (Functional)} row with its three outputs' shapes,
     * and a part has no row: its consumers are connected to that output of the model's call, as Keras prints them.
     */
    @Test
    void partsAreTypedOutputsAndKerasConnectionsInTheSummary() throws Exception {
        Class<?> outputs = loader.loadClass("vae.VaeModel$Outputs");
        assertEquals(List.of("logVar", "decoded", "stats"),
                Arrays.stream(outputs.getRecordComponents()).map(RecordComponent::getName).toList());
        String summary = vae().summary();
        assertTrue(summary.contains("│ encoder (Functional) │ [(None, 2), (None, 2), (None, 2)] │      31 │ x[0][0],"
                + " other[0][0]"), summary);
        assertTrue(summary.contains("│ decoded (Dense)      │ (None, 4)                         │      12 │"
                + " encoder[0][2] "), summary);
        assertTrue(summary.contains("│ stats (Concatenate)  │ (None, 6)                         │       0 │"
                + " encoder[0][0], encoder[0][1], encoder[1][2] │"), summary);
        assertFalse(summary.contains("Part"), summary);
        // the weights are the nested model's, once: 4*3+3 + 2 * (3*2+2), and the decoder's 2*4+4
        assertEquals(15 + 16 + 12, vae().countParams());
    }
}
