package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Conv2DTranspose}: Keras's output sizes ({@code deconv_output_length}, with and without {@code
 * outputPadding}) and where the output starts, worked out by hand on a row of three pixels; the kernel layout {@code
 * (kh, kw, filters, in)}; forward against naive loops written as TensorFlow's {@code conv2d_transpose}; float64
 * gradients for both paddings, strides 1 and 2, dilation 2, odd and even kernels; each diagnostic at its place.
 */
class Conv2DTransposeLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile(
                "tconv.ValidK3S2", row("ValidK3S2", "kernelSize = {1, 3}, strides = {1, 2}"),
                "tconv.SameK3S2", row("SameK3S2", "kernelSize = {1, 3}, strides = {1, 2}, padding = Padding.SAME"),
                "tconv.SameK4S2", row("SameK4S2", "kernelSize = {1, 4}, strides = {1, 2}, padding = Padding.SAME"),
                "tconv.ValidK2S3", row("ValidK2S3", "kernelSize = {1, 2}, strides = {1, 3}"),
                "tconv.DilatedK2", row("DilatedK2", "kernelSize = {1, 2}, dilationRate = {1, 2}"),
                "tconv.ValidPadded", row("ValidPadded", "kernelSize = {1, 3}, strides = {1, 2},"
                        + " outputPadding = {0, 1}"),
                "tconv.SamePadded", row("SamePadded", "kernelSize = {1, 4}, strides = {1, 2}, padding = Padding.SAME,"
                        + " outputPadding = {0, 1}"),
                "tconv.Square", square("Square", "{3, 4, 2}", "filters = 3, kernelSize = 3, strides = 2,"
                        + " padding = Padding.SAME"),
                "tconv.SquareValid", square("SquareValid", "{3, 4, 2}", "filters = 2, kernelSize = {2, 3},"
                        + " strides = 2"),
                "tconv.SquareDilated", square("SquareDilated", "{3, 4, 2}", "filters = 2, kernelSize = 2,"
                        + " dilationRate = 2, padding = Padding.SAME"),
                "tconv.SquarePadded", square("SquarePadded", "{3, 4, 2}", "filters = 2, kernelSize = 4, strides = 3,"
                        + " padding = Padding.SAME, outputPadding = {2, 1}"),
                "tconv.Mixed", """
                package tconv;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {3, 4, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @Conv2DTranspose(filters = 2, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            activation = Activation.TANH) Tensor a(Tensor h);
                    @Conv2DTranspose(filters = 2, kernelSize = {2, 2}, padding = Padding.SAME) Tensor b(Tensor a);
                    @Conv2DTranspose(filters = 3, kernelSize = 2, dilationRate = 2, activation = Activation.SIGMOID)
                    Tensor c(Tensor h);
                    @Conv2DTranspose(filters = 2, kernelSize = {2, 3}, strides = {2, 1}, useBias = false)
                    Tensor d(Tensor c);
                    @Conv2DTranspose(filters = 1, kernelSize = 4, strides = 2, padding = Padding.SAME,
                            outputPadding = 1, activation = Activation.GELU) Tensor e(Tensor h);
                    @Conv2DTranspose(filters = 1, kernelSize = 2, strides = 3, outputPadding = {2, 0}) Tensor g(Tensor h);
                    @Flatten Tensor fb(Tensor b);
                    @Flatten Tensor fd(Tensor d);
                    @Flatten Tensor fe(Tensor e);
                    @Flatten Tensor fg(Tensor g);
                    @Concatenate Tensor cat(Tensor fb, Tensor fd, Tensor fe, Tensor fg);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    private static String row(String name, String attributes) {
        return square(name, "{1, 3, 1}", "filters = 1, " + attributes);
    }

    private static String square(String name, String shape, String attributes) {
        return "package tconv;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = " + shape + ") Tensor x();\n"
                + "    @Conv2DTranspose(" + attributes + ") @Output Tensor y(Tensor x);\n}\n";
    }

    /** The row 1, 2, 3 through a kernel of ones {@code (1, k, 1, 1)} and a zero bias. */
    private static double[] onesKernel(String model, int k) {
        KilnModel m = LayerTesting.model(loader, model);
        Map<String, INDArray> w = m.getWeights();
        w.put("y/kernel", Nd4j.ones(DataType.DOUBLE, 1, k, 1, 1));
        m.setWeights(w);
        return LayerTesting.predictOne(m, new double[] {1, 2, 3}, 1, 3, 1);
    }

    @Test
    void outputSizesAndPlacementFollowKeras() {
        // valid: (3 - 1) * 2 + max(3, 2) = 7 cells; input pixel ix lands on 2ix, 2ix + 1, 2ix + 2
        assertArrayEquals(new double[] {1, 1, 1 + 2, 2, 2 + 3, 3, 3}, onesKernel("tconv.ValidK3S2Model", 3), 1e-12);
        // same: 3 * 2 = 6 cells; k' - s = 1 cell of the full 7 to cut, none of it before (TensorFlow: the odd one after)
        assertArrayEquals(new double[] {1, 1, 1 + 2, 2, 2 + 3, 3}, onesKernel("tconv.SameK3S2Model", 3), 1e-12);
        // same, even kernel: 6 of the full 8 cells, one cut before: the full row 1 1 3 3 5 5 3 3 from its second cell
        assertArrayEquals(new double[] {1, 1 + 2, 1 + 2, 2 + 3, 2 + 3, 3}, onesKernel("tconv.SameK4S2Model", 4), 1e-12);
        // valid, stride above the kernel: (3 - 1) * 3 + max(2, 3) = 9 cells, the last of each stride only bias
        assertArrayEquals(new double[] {1, 1, 0, 2, 2, 0, 3, 3, 0}, onesKernel("tconv.ValidK2S3Model", 2), 1e-12);
        // dilation 2: k' = 3, (3 - 1) + 3 = 5 cells; pixel ix on ix and ix + 2
        assertArrayEquals(new double[] {1, 2, 3 + 1, 2, 3}, onesKernel("tconv.DilatedK2Model", 2), 1e-12);
        // valid with outputPadding 1: (3 - 1) * 2 + 3 + 1 = 8 cells, the extra one after
        assertArrayEquals(new double[] {1, 1, 3, 2, 5, 3, 3, 0}, onesKernel("tconv.ValidPaddedModel", 3), 1e-12);
        // same with outputPadding 1: (3 - 1) * 2 + 4 % 2 + 1 = 5 cells; JAX's padding: (4 + 0 - 2 + 1) = 3, left
        // min(2, 3) = 2, so 4 - 1 - 2 = 1 cut before
        assertArrayEquals(new double[] {1 + 0, 1 + 2, 1 + 2, 2 + 3, 2 + 3}, onesKernel("tconv.SamePaddedModel", 4),
                1e-12);
    }

    @Test
    void shapesAndKernelLayout() {
        KilnModel m = LayerTesting.model(loader, "tconv.SquareModel");
        assertArrayEquals(new long[] {3, 3, 3, 2}, m.getWeights().get("y/kernel").shape()); // (kh, kw, filters, in)
        assertEquals(3 * 3 * 3 * 2 + 3, m.countParams());
        assertTrue(m.summary().contains("(None, 6, 8, 3)"), m.summary()); // same: n * s
        KilnModel v = LayerTesting.model(loader, "tconv.SquareValidModel");
        assertTrue(v.summary().contains("(None, 6, 9, 2)"), v.summary()); // (3-1)*2 + max(2,2), (4-1)*2 + 3
        KilnModel p = LayerTesting.model(loader, "tconv.SquarePaddedModel");
        assertTrue(p.summary().contains("(None, 8, 10, 2)"), p.summary()); // (3-1)*3 + 0 + 2, (4-1)*3 + 0 + 1
    }

    @Test
    void forwardMatchesNaiveLoops() {
        SplittableRandom random = new SplittableRandom(5);
        // model, kh, kw, filters, sh, sw, dilation, same, output padding (h, w)
        Object[][] cases = {
            {"tconv.SquareModel", 3, 3, 3, 2, 2, 1, true, -1, -1},
            {"tconv.SquareValidModel", 2, 3, 2, 2, 2, 1, false, -1, -1},
            {"tconv.SquareDilatedModel", 2, 2, 2, 1, 1, 2, true, -1, -1},
            {"tconv.SquarePaddedModel", 4, 4, 2, 3, 3, 1, true, 2, 1}};
        for (Object[] t : cases) {
            KilnModel m = LayerTesting.model(loader, (String) t[0]);
            Map<String, INDArray> w = NaiveConv.randomWeights(m, random);
            double[] x = random.doubles(3 * 4 * 2, -1, 1).toArray();
            double[] expected = NaiveConv.addBias(NaiveConv.transposed(x, 3, 4, 2, NaiveConv.values(w.get("y/kernel")),
                    (int) t[1], (int) t[2], (int) t[3], (int) t[4], (int) t[5], (int) t[6], (boolean) t[7], (int) t[8],
                    (int) t[9]), NaiveConv.values(w.get("y/bias")));
            assertArrayEquals(expected, LayerTesting.predictOne(m, x, 3, 4, 2), 1e-5, (String) t[0]);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "tconv.MixedModel"),
                "Conv2DTranspose same/valid, strides 1/2/3, dilation 2, odd/even kernels, output padding");
    }

    @Test
    void diagnostics() {
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 2, kernelSize = 3, strides = 2,"
                + " outputPadding = 2", "{4, 4, 1}", "2)", "[kiln/IllegalAttribute] Conv2DTranspose 'c' has"
                + " outputPadding = [2] and strides = [2], but Keras needs each output padding below its stride (2 >= 2"
                + " along axis 1). Use a smaller outputPadding or leave it out.");
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 2, kernelSize = 3, strides = 2,"
                + " outputPadding = {1, -1}", "{4, 4, 1}", "{1, -1}", "[kiln/IllegalAttribute] Conv2DTranspose 'c' has"
                + " outputPadding = [1, -1], but takes one value for both spatial axes or two (height, width), none"
                + " negative, or none at all for Keras's None.");
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 2, kernelSize = 2, padding = Padding.SAME,"
                + " outputPadding = 0", "{1, 3, 1}", "0)", "[kiln/ShapeMismatch] Conv2DTranspose 'c' gives an output of"
                + " 0 along axis 1 for its input 'x' of shape (1, 3, 1): (n - 1) * stride + 2 % 2 + outputPadding. Use"
                + " an odd kernel or a larger outputPadding.");
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 2, kernelSize = 3, padding = Padding.CAUSAL",
                "{4, 4, 1}", ".CAUSAL", "[kiln/IllegalAttribute] Conv2DTranspose 'c' has padding = CAUSAL, but Keras"
                + " allows causal padding only in Conv1D. Use Padding.VALID or Padding.SAME.");
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 0, kernelSize = 3", "{4, 4, 1}",
                "0, kernelSize", "[kiln/IllegalAttribute] Conv2DTranspose 'c' has filters = 0, but a convolution needs"
                + " at least one filter. Use a positive count, e.g. @Conv2DTranspose(filters = 32, kernelSize = 3).");
        DepthwiseConv2DLayerTest.assertOnly("Conv2DTranspose", "filters = 2, kernelSize = 3, strides = 2,"
                + " dilationRate = 2", "{4, 4, 1}", "2, dilationRate", "[kiln/IllegalAttribute] Conv2DTranspose 'c' has"
                + " strides = [2] and dilationRate = [2], but Keras does not combine a stride above 1 with a dilation"
                + " above 1. Use strides = 1 with the dilation, or no dilation.");
    }
}
