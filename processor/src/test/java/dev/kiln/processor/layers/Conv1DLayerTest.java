package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import javax.tools.Diagnostic;
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
                "conv1.Causal", model("Causal", "@Conv1D(filters = 1, kernelSize = 3, padding = Padding.CAUSAL)"),
                "conv1.CausalDilated", model("CausalDilated", "@Conv1D(filters = 1, kernelSize = 2, dilationRate = 2,"
                        + " padding = Padding.CAUSAL)"),
                "conv1.CausalStrided", model("CausalStrided", "@Conv1D(filters = 1, kernelSize = 3, strides = 2,"
                        + " padding = Padding.CAUSAL)"),
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
                    @Conv1D(filters = 2, kernelSize = 3, padding = Padding.CAUSAL, activation = Activation.TANH)
                    Tensor e(Tensor h);
                    @Conv1D(filters = 2, kernelSize = 2, strides = 2, padding = Padding.CAUSAL) Tensor f(Tensor e);
                    @Conv1D(filters = 1, kernelSize = 2, dilationRate = 2, padding = Padding.CAUSAL) Tensor g(Tensor f);
                    @Flatten Tensor fb(Tensor b);
                    @Flatten Tensor fd(Tensor d);
                    @Flatten Tensor fg(Tensor g);
                    @Concatenate Tensor cat(Tensor fb, Tensor fd, Tensor fg);
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
    void causalPadsOnlyBefore() {
        // (3 - 1) * 1 = 2 zeros before: output t sums x[t-2..t]
        assertArrayEquals(new double[] {1, 1 + 2, 1 + 2 + 3, 2 + 3 + 4, 3 + 4 + 5},
                onesKernel("conv1.CausalModel", 3), 1e-12);
        // dilation 2: (2 - 1) * 2 = 2 zeros before, output t = x[t-2] + x[t]
        assertArrayEquals(new double[] {1, 2, 1 + 3, 2 + 4, 3 + 5}, onesKernel("conv1.CausalDilatedModel", 2), 1e-12);
        // stride 2: ceil(5 / 2) = 3 outputs at steps 0, 2, 4, each over x[t-2..t]
        assertArrayEquals(new double[] {1, 1 + 2 + 3, 3 + 4 + 5}, onesKernel("conv1.CausalStridedModel", 3), 1e-12);
    }

    @Test
    void causalOutputsNeverSeeLaterSteps() {
        KilnModel m = LayerTesting.model(loader, "conv1.CausalModel");
        double[] a = LayerTesting.predictOne(m, new double[] {1, 2, 3, 4, 5}, 5, 1);
        double[] b = LayerTesting.predictOne(m, new double[] {1, 2, 3, -7, 11}, 5, 1);
        assertArrayEquals(java.util.Arrays.copyOf(a, 3), java.util.Arrays.copyOf(b, 3), 1e-12);
    }

    @Test
    void causalElsewhereIsAnError() {
        for (String[] layer : new String[][] {
            {"@Conv2D(filters = 2, kernelSize = 2, padding = Padding.CAUSAL)", "{4, 4, 1}", "Conv2D"},
            {"@MaxPooling1D(padding = Padding.CAUSAL)", "{4, 1}", "MaxPooling1D"},
            {"@AveragePooling2D(padding = Padding.CAUSAL)", "{4, 4, 1}", "AveragePooling2D"}}) {
            String source = """
                    package demo;
                    import dev.kiln.dsl.*;
                    @Model interface Net {
                        @Input(shape = %s) Tensor x();
                        %s Tensor c(Tensor x);
                        @Flatten @Output Tensor y(Tensor c);
                    }
                    """.formatted(layer[1], layer[0]);
            Compilation c = Diagnosed.compile("demo.Net", source);
            Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, ".CAUSAL)",
                    "[kiln/IllegalAttribute] " + layer[2] + " 'c' has padding = CAUSAL, but Keras allows causal"
                    + " padding only in Conv1D. Use Padding.VALID or Padding.SAME.");
        }
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
                "Conv1D same/valid/causal, strides 1/2/3, dilation 2, odd/even kernels");
    }
}
