package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @Conv1D}: values by hand for both paddings, a stride and a dilation, its kernel layout, float64 gradients. */
class Conv1DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile(
                "conv1.Same", model("Same", "@Conv1D(filters = 1, kernelSize = 2, padding = Padding.SAME)"),
                "conv1.Strided", model("Strided", "@Conv1D(filters = 1, kernelSize = 3, strides = 2,"
                        + " padding = Padding.SAME)"),
                "conv1.Dilated", model("Dilated", "@Conv1D(filters = 1, kernelSize = 3, dilationRate = 2)"),
                "conv1.Mixed", """
                package conv1;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {9, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @Conv1D(filters = 3, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            activation = Activation.TANH) Tensor a(Tensor h);
                    @Conv1D(filters = 2, kernelSize = 2, padding = Padding.SAME) Tensor b(Tensor a);
                    @Conv1D(filters = 2, kernelSize = 2, dilationRate = 2, activation = Activation.SIGMOID)
                    Tensor c(Tensor h);
                    @Conv1D(filters = 2, kernelSize = 4, strides = 3) Tensor d(Tensor c);
                    @Flatten Tensor fb(Tensor b);
                    @Flatten Tensor fd(Tensor d);
                    @Concatenate Tensor cat(Tensor fb, Tensor fd);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    private static String model(String name, String conv) {
        return "package conv1;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = {5, 1}) Tensor x();\n    " + conv + " @Output Tensor y(Tensor x);\n}\n";
    }

    private static double[] onesKernel(String model, int k) {
        KilnModel m = LayerTesting.model(loader, model);
        Map<String, INDArray> w = m.getWeights();
        w.put("y/kernel", Nd4j.ones(DataType.DOUBLE, k, 1, 1));
        m.setWeights(w);
        return LayerTesting.predictOne(m, new double[] {1, 2, 3, 4, 5}, 5, 1);
    }

    @Test
    void sameWithAnEvenKernelPadsAfter() {
        assertArrayEquals(new double[] {3, 5, 7, 9, 5}, onesKernel("conv1.SameModel", 2), 1e-12);
    }

    @Test
    void sameWithStrideTwo() {
        // out = ceil(5 / 2) = 3, total padding 2 * 2 + 3 - 5 = 2, one before: windows at -1, 1 and 3
        assertArrayEquals(new double[] {3, 9, 9}, onesKernel("conv1.StridedModel", 3), 1e-12);
    }

    @Test
    void dilationTwoSkipsEveryOtherStep() {
        assertArrayEquals(new double[] {1 + 3 + 5}, onesKernel("conv1.DilatedModel", 3), 1e-12);
    }

    @Test
    void kernelHasKerasLayout() {
        KilnModel m = LayerTesting.model(loader, "conv1.MixedModel");
        assertArrayEquals(new long[] {3, 2, 3}, m.getWeights().get("a/kernel").shape());
        assertArrayEquals(new long[] {4, 2, 2}, m.getWeights().get("d/kernel").shape());
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "conv1.MixedModel"),
                "Conv1D same/valid, strides 1/2/3, dilation 2, odd/even kernels");
    }
}
