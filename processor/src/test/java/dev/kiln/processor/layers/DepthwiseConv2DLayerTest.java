package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @DepthwiseConv2D}: Keras's kernel layout {@code (kh, kw, in, depthMultiplier)} and output channel order
 * {@code c * depthMultiplier + m} worked out by hand, forward against naive loops for both paddings, strides 1 and 2,
 * dilation 2, odd and even kernels, float64 gradients, and each diagnostic at its place.
 */
class DepthwiseConv2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile(
                "dw.Channels", model("Channels", "{2, 2, 2}", "@DepthwiseConv2D(kernelSize = 2, depthMultiplier = 2)"),
                "dw.SameStrided", model("SameStrided", "{5, 6, 3}", "@DepthwiseConv2D(kernelSize = 3, strides = 2,"
                        + " padding = Padding.SAME, depthMultiplier = 2)"),
                "dw.Dilated", model("Dilated", "{5, 6, 3}", "@DepthwiseConv2D(kernelSize = {2, 3}, dilationRate = 2)"),
                "dw.SameEven", model("SameEven", "{5, 6, 3}", "@DepthwiseConv2D(kernelSize = 2, padding = Padding.SAME,"
                        + " depthMultiplier = 3)"),
                "dw.ValidStrided", model("ValidStrided", "{5, 6, 3}", "@DepthwiseConv2D(kernelSize = {3, 2},"
                        + " strides = {2, 1})"),
                "dw.Mixed", """
                package dw;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {7, 6, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @DepthwiseConv2D(kernelSize = 3, strides = 2, padding = Padding.SAME, depthMultiplier = 2,
                            activation = Activation.TANH) Tensor a(Tensor h);
                    @DepthwiseConv2D(kernelSize = {2, 2}, padding = Padding.SAME) Tensor b(Tensor a);
                    @DepthwiseConv2D(kernelSize = 2, dilationRate = 2, depthMultiplier = 3,
                            activation = Activation.SIGMOID) Tensor c(Tensor h);
                    @DepthwiseConv2D(kernelSize = {2, 3}, strides = {2, 1}, useBias = false) Tensor d(Tensor c);
                    @DepthwiseConv2D(kernelSize = 3, dilationRate = 2, padding = Padding.SAME,
                            activation = Activation.GELU) Tensor e(Tensor b);
                    @Flatten Tensor fe(Tensor e);
                    @Flatten Tensor fd(Tensor d);
                    @Concatenate Tensor cat(Tensor fe, Tensor fd);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    private static String model(String name, String shape, String layer) {
        return "package dw;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = " + shape + ") Tensor x();\n"
                + "    " + layer + " @Output Tensor y(Tensor x);\n}\n";
    }

    @Test
    void outputChannelsAreChannelTimesMultiplierPlusM() {
        KilnModel m = LayerTesting.model(loader, "dw.ChannelsModel");
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {2, 2, 2, 2}, w.get("y/kernel").shape());
        assertArrayEquals(new long[] {4}, w.get("y/bias").shape());
        // kernel[i, j, c, m] = 2c + m + 1 at every tap: channel 0 (1, 2, 3, 4) sums to 10, channel 1 (10..40) to 100
        INDArray k = Nd4j.create(new double[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}, new long[] {2, 2, 2, 2},
                'c');
        w.put("y/kernel", k);
        w.put("y/bias", Nd4j.create(new double[] {0.5, 0, 0, -0.5}));
        m.setWeights(w);
        double[] y = LayerTesting.predictOne(m, new double[] {1, 10, 2, 20, 3, 30, 4, 40}, 2, 2, 2);
        assertArrayEquals(new double[] {10 * 1 + 0.5, 10 * 2, 100 * 3, 100 * 4 - 0.5}, y, 1e-12);
    }

    @Test
    void forwardMatchesNaiveLoops() {
        SplittableRandom random = new SplittableRandom(12);
        // model, kh, kw, depth multiplier, stride (height, width), dilation, same
        Object[][] cases = {
            {"dw.SameStridedModel", 3, 3, 2, 2, 2, 1, true},
            {"dw.DilatedModel", 2, 3, 1, 1, 1, 2, false},
            {"dw.SameEvenModel", 2, 2, 3, 1, 1, 1, true},
            {"dw.ValidStridedModel", 3, 2, 1, 2, 1, 1, false}};
        for (Object[] t : cases) {
            KilnModel m = LayerTesting.model(loader, (String) t[0]);
            Map<String, INDArray> w = NaiveConv.randomWeights(m, random);
            double[] x = random.doubles(5 * 6 * 3, -1, 1).toArray();
            double[] expected = naive(x, NaiveConv.values(w.get("y/kernel")), NaiveConv.values(w.get("y/bias")),
                    (int) t[1], (int) t[2], (int) t[3], (int) t[4], (int) t[5], (int) t[6], (boolean) t[7]);
            assertArrayEquals(expected, LayerTesting.predictOne(m, x, 5, 6, 3), 1e-5, (String) t[0]);
        }
    }

    /** The depthwise product on a {@code (5, 6, 3)} image with the height and width strides {@code sh, sw}. */
    private static double[] naive(double[] x, double[] k, double[] bias, int kh, int kw, int dm, int sh, int sw, int d,
            boolean same) {
        if (sh == sw) {
            return NaiveConv.addBias(NaiveConv.depthwise(x, 5, 6, 3, k, kh, kw, dm, sh, d, same), bias);
        }
        // strides {2, 1}, valid: a stride-1 result with every other row kept
        int ow = NaiveConv.out(6, kw, 1, d, false);
        double[] full = NaiveConv.depthwise(x, 5, 6, 3, k, kh, kw, dm, 1, d, false);
        int oh = NaiveConv.out(5, kh, sh, d, false);
        int row = ow * 3 * dm;
        double[] y = new double[oh * row];
        for (int oy = 0; oy < oh; oy++) {
            System.arraycopy(full, oy * sh * row, y, oy * row, row);
        }
        return NaiveConv.addBias(y, bias);
    }

    @Test
    void shapesFollowKeras() {
        KilnModel m = LayerTesting.model(loader, "dw.MixedModel");
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {3, 3, 2, 2}, w.get("a/kernel").shape());
        assertArrayEquals(new long[] {4}, w.get("a/bias").shape());
        assertArrayEquals(new long[] {2, 2, 2, 3}, w.get("c/kernel").shape());
        assertArrayEquals(new long[] {2, 3, 6, 1}, w.get("d/kernel").shape());
        assertTrue(!w.containsKey("d/bias"));
        String summary = m.summary();
        assertTrue(summary.contains("(None, 4, 3, 4)"), summary); // a: ceil(7/2), ceil(6/2), 2 channels x 2
        assertTrue(summary.contains("(None, 5, 4, 6)"), summary); // c: 7 - 2, 6 - 2 (dilated span 3), 2 x 3
        assertTrue(summary.contains("(None, 2, 2, 6)"), summary); // d: floor((5 - 2) / 2) + 1, 4 - 3 + 1
        // a: 3 * 3 * 2 * 2 + 4 = 40 parameters
        assertEquals(40, w.get("a/kernel").length() + w.get("a/bias").length());
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "dw.MixedModel"),
                "DepthwiseConv2D same/valid, strides 1/2, dilation 2, odd/even kernels, multipliers 1-3");
    }

    static void assertOnly(String layer, String attributes, String input, String marker, String text) {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = %s) Tensor x();
                    @%s(%s) Tensor c(Tensor x);
                    @Flatten @Output Tensor y(Tensor c);
                }
                """.formatted(input, layer, attributes);
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, marker, text);
    }

    @Test
    void diagnostics() {
        assertOnly("DepthwiseConv2D", "kernelSize = 3, depthMultiplier = 0", "{9, 9, 1}", "0)",
                "[kiln/IllegalAttribute] DepthwiseConv2D 'c' has depthMultiplier = 0, but each channel needs at least"
                + " one filter. Use depthMultiplier = 1 or more.");
        assertOnly("DepthwiseConv2D", "kernelSize = 5", "{4, 9, 1}", "5)", "[kiln/ShapeMismatch] DepthwiseConv2D 'c'"
                + " has kernelSize = [5], which spans 5 along axis 1, but its input 'x' of shape (4, 9, 1) has only 4"
                + " there, so padding = VALID leaves no output. Use padding = Padding.SAME or a smaller kernel.");
        assertOnly("DepthwiseConv2D", "kernelSize = 3, strides = 2, dilationRate = 2", "{9, 9, 1}", "2, dilationRate",
                "[kiln/IllegalAttribute] DepthwiseConv2D 'c' has strides = [2] and dilationRate = [2], but Keras does"
                + " not combine a stride above 1 with a dilation above 1. Use strides = 1 with the dilation, or no"
                + " dilation.");
        assertOnly("DepthwiseConv2D", "kernelSize = 3, strides = {1, 0}", "{9, 9, 1}", "{1, 0}",
                "[kiln/IllegalAttribute] DepthwiseConv2D 'c' has strides = [1, 0], but every stride must be at least"
                + " 1. Use e.g. strides = 1.");
        assertOnly("DepthwiseConv2D", "kernelSize = 3, padding = Padding.CAUSAL", "{9, 9, 1}", ".CAUSAL",
                "[kiln/IllegalAttribute] DepthwiseConv2D 'c' has padding = CAUSAL, but Keras allows causal padding"
                + " only in Conv1D. Use Padding.VALID or Padding.SAME.");
    }

    @Test
    void anInputOfTheWrongRankIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {8, 3}) Tensor x();
                    @DepthwiseConv2D(kernelSize = 3) Tensor c(Tensor x);
                    @Flatten @Output Tensor y(Tensor c);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnostic<? extends javax.tools.JavaFileObject> d = Diagnosed.only(c);
        Diagnosed.assertAt(d, Diagnostic.Kind.ERROR, source, "x);", d.getMessage(null));
        assertTrue(d.getMessage(null).startsWith("[kiln/ShapeMismatch] DepthwiseConv2D 'c' needs an input of rank 3"
                + " (height, width, channels), but 'x' is (8, 3)."), d.getMessage(null));
    }
}
