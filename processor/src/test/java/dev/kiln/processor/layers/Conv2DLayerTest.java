package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.optim.Adam;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Conv2D}: Keras's shapes and TensorFlow's same padding (the odd zero after), values worked out by hand, float64
 * gradients for both paddings, strides 1 and 2, dilation 2, odd and even kernels, the float32 path against float64,
 * Keras's {@code mnist_convnet} parameter counts, and each diagnostic at its place.
 */
class Conv2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("conv.Valid", model("@Conv2D(filters = 1, kernelSize = 2)"),
                "conv.Same", model("@Conv2D(filters = 1, kernelSize = 2, padding = Padding.SAME)"),
                "conv.Strided", model("@Conv2D(filters = 1, kernelSize = 3, strides = 2, padding = Padding.SAME)"),
                "conv.Dilated", model("@Conv2D(filters = 1, kernelSize = 2, dilationRate = 2)"),
                "conv.Mixed", """
                package conv;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {7, 6, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @Conv2D(filters = 3, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            activation = Activation.TANH) Tensor a(Tensor h);
                    @Conv2D(filters = 2, kernelSize = {2, 2}, padding = Padding.SAME) Tensor b(Tensor a);
                    @Conv2D(filters = 2, kernelSize = 2, dilationRate = 2, activation = Activation.SIGMOID)
                    Tensor c(Tensor h);
                    @Conv2D(filters = 2, kernelSize = {2, 3}, strides = {2, 1}, useBias = false) Tensor d(Tensor c);
                    @Conv2D(filters = 1, kernelSize = 3, dilationRate = 2, padding = Padding.SAME,
                            activation = Activation.GELU) Tensor e(Tensor b);
                    @Flatten Tensor fe(Tensor e);
                    @Flatten Tensor fd(Tensor d);
                    @Concatenate Tensor cat(Tensor fe, Tensor fd);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """, "conv.MnistConvnet", """
                package conv;
                import dev.kiln.dsl.*;
                @Model interface MnistConvnet {
                    @Input(shape = {28, 28, 1}) Tensor image();
                    @Conv2D(filters = 32, kernelSize = {3, 3}, activation = Activation.RELU) Tensor conv1(Tensor image);
                    @MaxPooling2D(poolSize = {2, 2}) Tensor pool1(Tensor conv1);
                    @Conv2D(filters = 64, kernelSize = {3, 3}, activation = Activation.RELU) Tensor conv2(Tensor pool1);
                    @MaxPooling2D(poolSize = {2, 2}) Tensor pool2(Tensor conv2);
                    @Flatten Tensor flat(Tensor pool2);
                    @Dropout(rate = 0.5) Tensor drop(Tensor flat);
                    @Dense(units = 10, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor probs(Tensor drop);
                }
                """);
    }

    private static String model(String conv) {
        String name = conv.contains("SAME") ? conv.contains("strides") ? "Strided" : "Same"
                : conv.contains("dilation") ? "Dilated" : "Valid";
        return "package conv;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = {3, 3, 1}) Tensor x();\n"
                + "    " + conv + " @Output Tensor y(Tensor x);\n}\n";
    }

    /** The pixels 1..9 of a 3x3 image through a kernel of ones and a zero bias. */
    private static double[] onesKernel(String model, int k) {
        KilnModel m = LayerTesting.model(loader, model);
        Map<String, INDArray> w = m.getWeights();
        w.put("y/kernel", Nd4j.ones(DataType.DOUBLE, k, k, 1, 1));
        m.setWeights(w);
        return LayerTesting.predictOne(m, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3, 1);
    }

    @Test
    void validSumsEachWindow() {
        // 1 2 3 / 4 5 6 / 7 8 9: 2x2 windows 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        assertArrayEquals(new double[] {12, 16, 24, 28}, onesKernel("conv.ValidModel", 2), 1e-12);
    }

    @Test
    void sameWithAnEvenKernelPadsAfter() {
        // out = ceil(3 / 1) = 3, total padding (3 - 1) + 2 - 3 = 1, none before: the zero row and column come after
        assertArrayEquals(new double[] {12, 16, 9, 24, 28, 15, 15, 17, 9}, onesKernel("conv.SameModel", 2), 1e-12);
    }

    @Test
    void sameWithStrideTwoCentresTheWindows() {
        // out = ceil(3 / 2) = 2, total padding (2 - 1) * 2 + 3 - 3 = 2, one before: windows start at -1 and 1
        assertArrayEquals(new double[] {12, 16, 24, 28}, onesKernel("conv.StridedModel", 3), 1e-12);
    }

    @Test
    void dilationTwoReadsTheCorners() {
        assertArrayEquals(new double[] {1 + 3 + 7 + 9}, onesKernel("conv.DilatedModel", 2), 1e-12);
    }

    @Test
    void shapesFollowKeras() {
        KilnModel m = LayerTesting.model(loader, "conv.MixedModel");
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {3, 3, 2, 3}, w.get("a/kernel").shape());
        assertArrayEquals(new long[] {3}, w.get("a/bias").shape());
        assertArrayEquals(new long[] {2, 3, 2, 2}, w.get("d/kernel").shape());
        assertTrue(!w.containsKey("d/bias"));
        String summary = m.summary();
        assertTrue(summary.contains("(None, 4, 3, 3)"), summary); // a: ceil(7/2), ceil(6/2)
        assertTrue(summary.contains("(None, 5, 4, 2)"), summary); // c: 7 - 2, 6 - 2 (dilated span 3)
        assertTrue(summary.contains("(None, 2, 2, 2)"), summary); // d: floor((5 - 2) / 2) + 1, 4 - 3 + 1
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "conv.MixedModel"),
                "Conv2D same/valid, strides 1/2, dilation 2, odd/even kernels");
    }

    @Test
    void float32MatchesFloat64() {
        LayerTesting.assertFloat32MatchesFloat64(loader, "conv.MixedModel", new long[] {4, 7, 6, 2}, new long[] {4, 2});
    }

    @Test
    void mnistConvnetHasKerasParameterCounts() {
        KilnModel m = LayerTesting.model(loader, "conv.MnistConvnetModel");
        assertEquals(34_826, m.countParams());
        String summary = m.summary();
        for (String row : new String[] {"(None, 26, 26, 32)", "(None, 13, 13, 32)", "(None, 11, 11, 64)",
            "(None, 5, 5, 64)", "(None, 1600)", "320", "18,496", "16,010", "Total params: 34,826"}) {
            assertTrue(summary.contains(row), () -> row + " not in\n" + summary);
        }
    }

    @Test
    void warmTrainingStepsAllocateNothing() {
        KilnModel m = ModelCompiler.create(loader, "conv.MnistConvnetModel", 1, DataType.FLOAT);
        m.compile(new Adam(1e-3));
        INDArray[] full = {Nd4j.rand(DataType.FLOAT, 8, 28, 28, 1)};
        INDArray[] fullY = {Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7).castTo(DataType.FLOAT)};
        INDArray[] last = {Nd4j.rand(DataType.FLOAT, 3, 28, 28, 1)};
        INDArray[] lastY = {Nd4j.eye(10).getRows(0, 1, 2).castTo(DataType.FLOAT)};
        m.trainStep(full, fullY);
        m.trainStep(last, lastY);
        m.predictBatch(full);
        long before = Memory.allocations();
        for (int i = 0; i < 3; i++) {
            m.trainStep(full, fullY);
            m.trainStep(last, lastY);
            m.predictBatch(full);
        }
        assertEquals(before, Memory.allocations(), "model memory allocated after warm-up");
    }

    static void assertOnly(String attributes, String input, String marker, String text) {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = %s) Tensor x();
                    @Conv2D(%s) Tensor c(Tensor x);
                    @Flatten @Output Tensor y(Tensor c);
                }
                """.formatted(input, attributes);
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, marker, text);
    }

    @Test
    void aKernelLargerThanItsInputUnderValidIsAnError() {
        assertOnly("filters = 4, kernelSize = 5", "{4, 9, 1}", "5)", "[kiln/ShapeMismatch] Conv2D 'c' has kernelSize"
                + " = [5], which spans 5 along axis 1, but its input 'x' of shape (4, 9, 1) has only 4 there, so"
                + " padding = VALID leaves no output. Use padding = Padding.SAME or a smaller kernel.");
        assertOnly("filters = 4, kernelSize = 3, dilationRate = {1, 4}", "{9, 8, 1}", "3, dilationRate",
                "[kiln/ShapeMismatch] Conv2D 'c' has kernelSize = [3], which spans 9 with dilationRate 4 along axis"
                + " 2, but its input 'x' of shape (9, 8, 1) has only 8 there, so padding = VALID leaves no output."
                + " Use padding = Padding.SAME or a smaller kernel.");
    }

    @Test
    void aZeroStrideOrDilationIsAnError() {
        assertOnly("filters = 4, kernelSize = 3, strides = {1, 0}", "{9, 9, 1}", "{1, 0}", "[kiln/IllegalAttribute]"
                + " Conv2D 'c' has strides = [1, 0], but every stride must be at least 1. Use e.g. strides = 1.");
        assertOnly("filters = 4, kernelSize = 3, dilationRate = 0", "{9, 9, 1}", "0)", "[kiln/IllegalAttribute]"
                + " Conv2D 'c' has dilationRate = [0], but every dilation rate must be at least 1. Use e.g."
                + " dilationRate = 1.");
        assertOnly("filters = 4, kernelSize = {3, 3, 3}", "{9, 9, 1}", "{3, 3, 3}", "[kiln/IllegalAttribute] Conv2D"
                + " 'c' has kernelSize = [3, 3, 3], but takes one value for both spatial axes or two (height,"
                + " width).");
        assertOnly("filters = 4, kernelSize = 3, strides = 2, dilationRate = 2", "{9, 9, 1}", "2, dilationRate",
                "[kiln/IllegalAttribute] Conv2D 'c' has strides = [2] and dilationRate = [2], but Keras does not"
                + " combine a stride above 1 with a dilation above 1. Use strides = 1 with the dilation, or no"
                + " dilation.");
        assertOnly("filters = 0, kernelSize = 3", "{9, 9, 1}", "0, kernelSize", "[kiln/IllegalAttribute] Conv2D 'c'"
                + " has filters = 0, but a convolution needs at least one filter. Use a positive count, e.g."
                + " @Conv2D(filters = 32, kernelSize = 3).");
    }

    @Test
    void anInputOfTheWrongRankIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 784) Tensor x();
                    @Conv2D(filters = 4, kernelSize = 3) Tensor c(Tensor x);
                    @Flatten @Output Tensor y(Tensor c);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnostic<?> d = Diagnosed.only(c);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "x);", d.getMessage(null));
        assertTrue(d.getMessage(null).startsWith("[kiln/ShapeMismatch] Conv2D 'c' needs an input of rank 3 (height,"
                + " width, channels), but 'x' is (784)."), d.getMessage(null));
        assertTrue(d.getMessage(null).contains("Reshape it first, e.g. @Reshape(targetShape = {28, 28, 1})."),
                d.getMessage(null));
    }
}
