package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code @SeparableConv2D}: Keras's weights in order ({@code depthwise_kernel}, {@code pointwise_kernel}, {@code bias})
 * and its parameter count, forward against naive loops (depthwise then pointwise) for both paddings, strides 1 and 2,
 * dilation 2, odd and even kernels, float64 gradients, and each diagnostic at its place.
 */
class SeparableConv2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile(
                "sep.SameStrided", model("SameStrided", "{5, 6, 3}", "@SeparableConv2D(filters = 4, kernelSize = 3,"
                        + " strides = 2, padding = Padding.SAME, depthMultiplier = 2)"),
                "sep.Dilated", model("Dilated", "{5, 6, 3}", "@SeparableConv2D(filters = 2, kernelSize = {2, 3},"
                        + " dilationRate = 2)"),
                "sep.SameEven", model("SameEven", "{5, 6, 3}", "@SeparableConv2D(filters = 3, kernelSize = 2,"
                        + " padding = Padding.SAME, depthMultiplier = 3)"),
                "sep.Keras", model("Keras", "{16, 16, 32}", "@SeparableConv2D(filters = 64, kernelSize = 3)"),
                "sep.Mixed", """
                package sep;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {7, 6, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @SeparableConv2D(filters = 3, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            depthMultiplier = 2, activation = Activation.TANH) Tensor a(Tensor h);
                    @SeparableConv2D(filters = 2, kernelSize = {2, 2}, padding = Padding.SAME) Tensor b(Tensor a);
                    @SeparableConv2D(filters = 2, kernelSize = 2, dilationRate = 2, depthMultiplier = 3,
                            activation = Activation.SIGMOID) Tensor c(Tensor h);
                    @SeparableConv2D(filters = 2, kernelSize = {2, 3}, strides = {2, 1}, useBias = false)
                    Tensor d(Tensor c);
                    @SeparableConv2D(filters = 1, kernelSize = 3, dilationRate = 2, padding = Padding.SAME,
                            activation = Activation.GELU) Tensor e(Tensor b);
                    @Flatten Tensor fe(Tensor e);
                    @Flatten Tensor fd(Tensor d);
                    @Concatenate Tensor cat(Tensor fe, Tensor fd);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    private static String model(String name, String shape, String layer) {
        return "package sep;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = " + shape + ") Tensor x();\n"
                + "    " + layer + " @Output Tensor y(Tensor x);\n}\n";
    }

    @Test
    void weightsInKerasOrderAndCount() {
        KilnModel m = LayerTesting.model(loader, "sep.KerasModel");
        List<String> names = m.spec().variables().stream().map(ModelSpec.VariableSpec::name).toList();
        assertEquals(List.of("y/depthwise_kernel", "y/pointwise_kernel", "y/bias"), names);
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {3, 3, 32, 1}, w.get("y/depthwise_kernel").shape());
        assertArrayEquals(new long[] {1, 1, 32, 64}, w.get("y/pointwise_kernel").shape());
        // Keras: 3 * 3 * 32 + 32 * 64 + 64 = 288 + 2,048 + 64
        assertEquals(2_400, m.countParams());
        assertTrue(m.summary().contains("(None, 14, 14, 64)"), m.summary());
    }

    @Test
    void forwardMatchesNaiveLoops() {
        SplittableRandom random = new SplittableRandom(21);
        // model, kernel (h, w), depth multiplier, filters, stride, dilation, same
        Object[][] cases = {
            {"sep.SameStridedModel", 3, 3, 2, 4, 2, 1, true},
            {"sep.DilatedModel", 2, 3, 1, 2, 1, 2, false},
            {"sep.SameEvenModel", 2, 2, 3, 3, 1, 1, true}};
        for (Object[] t : cases) {
            KilnModel m = LayerTesting.model(loader, (String) t[0]);
            Map<String, INDArray> w = NaiveConv.randomWeights(m, random);
            double[] x = random.doubles(5 * 6 * 3, -1, 1).toArray();
            int dm = (int) t[3];
            double[] mid = NaiveConv.depthwise(x, 5, 6, 3, NaiveConv.values(w.get("y/depthwise_kernel")), (int) t[1],
                    (int) t[2], dm, (int) t[5], (int) t[6], (boolean) t[7]);
            double[] expected = NaiveConv.pointwise(mid, 3 * dm, NaiveConv.values(w.get("y/pointwise_kernel")),
                    (int) t[4], NaiveConv.values(w.get("y/bias")));
            assertArrayEquals(expected, LayerTesting.predictOne(m, x, 5, 6, 3), 1e-5, (String) t[0]);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "sep.MixedModel"),
                "SeparableConv2D same/valid, strides 1/2, dilation 2, odd/even kernels, multipliers 1-3");
    }

    @Test
    void diagnostics() {
        DepthwiseConv2DLayerTest.assertOnly("SeparableConv2D", "filters = 0, kernelSize = 3", "{9, 9, 1}",
                "0, kernelSize", "[kiln/IllegalAttribute] SeparableConv2D 'c' has filters = 0, but a convolution needs"
                + " at least one filter. Use a positive count, e.g. @SeparableConv2D(filters = 32, kernelSize = 3).");
        DepthwiseConv2DLayerTest.assertOnly("SeparableConv2D", "filters = 2, kernelSize = 3, depthMultiplier = 0",
                "{9, 9, 1}", "0)", "[kiln/IllegalAttribute] SeparableConv2D 'c' has depthMultiplier = 0, but each"
                + " channel needs at least one filter. Use depthMultiplier = 1 or more.");
        DepthwiseConv2DLayerTest.assertOnly("SeparableConv2D", "filters = 2, kernelSize = {2, 5}", "{4, 4, 1}",
                "{2, 5}", "[kiln/ShapeMismatch] SeparableConv2D 'c' has kernelSize = [2, 5], which spans 5 along axis"
                + " 2, but its input 'x' of shape (4, 4, 1) has only 4 there, so padding = VALID leaves no output. Use"
                + " padding = Padding.SAME or a smaller kernel.");
        DepthwiseConv2DLayerTest.assertOnly("SeparableConv2D", "filters = 2, kernelSize = 3, dilationRate = 0",
                "{9, 9, 1}", "0)", "[kiln/IllegalAttribute] SeparableConv2D 'c' has dilationRate = [0], but every"
                + " dilation rate must be at least 1. Use e.g. dilationRate = 1.");
        DepthwiseConv2DLayerTest.assertOnly("SeparableConv2D", "filters = 2, kernelSize = 3, padding = Padding.CAUSAL",
                "{9, 9, 1}", ".CAUSAL", "[kiln/IllegalAttribute] SeparableConv2D 'c' has padding = CAUSAL, but Keras"
                + " allows causal padding only in Conv1D. Use Padding.VALID or Padding.SAME.");
    }
}
