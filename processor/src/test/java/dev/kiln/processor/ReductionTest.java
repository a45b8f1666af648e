package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Output(reduction = ...)}, Keras's {@code reduction} argument: {@code SUM} is the mean times the number of
 * sample losses, in the loss and in every gradient; {@code NONE} trains the sum and reports the mean (Keras's TensorFlow
 * backend); {@code Losses.perSample} gives the unreduced losses. Gradients agree with finite differences.
 */
class ReductionTest {
    private static final String SOURCE = """
            package reduce;
            import dev.kiln.dsl.*;
            @Model interface %s {
                @Input(shape = {3, 4}) Tensor x();
                @Dense(units = 5, activation = Activation.TANH) Tensor hidden(Tensor x);
                @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR%s) Tensor value(Tensor hidden);
                @Dense(units = 3, activation = Activation.SOFTMAX)
                @Output(loss = Loss.CATEGORICAL_CROSSENTROPY%s) Tensor label(Tensor hidden);
            }
            """;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("reduce.Mean", SOURCE.formatted("Mean", "", ""), "reduce.Summed",
                SOURCE.formatted("Summed", ", reduction = Reduction.SUM", ", reduction = Reduction.SUM"),
                "reduce.Unreduced",
                SOURCE.formatted("Unreduced", ", reduction = Reduction.NONE", ", reduction = Reduction.NONE"));
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "reduce.SummedModel"), "sum");
    }

    @Test
    void sumScalesLossAndGradientsByTheSampleLossesNoneOnlyTheGradients() {
        KilnModel mean = LayerTesting.model(loader, "reduce.MeanModel");
        KilnModel summed = LayerTesting.model(loader, "reduce.SummedModel");
        summed.setWeights(mean.getWeights());
        SplittableRandom random = new SplittableRandom(7);
        int batch = 4;
        INDArray x = FunctionalApiTest.uniform(random, new long[] {batch, 3, 4});
        INDArray value = FunctionalApiTest.uniform(random, new long[] {batch, 3, 2});
        INDArray label = Nd4j.zeros(DataType.DOUBLE, batch, 3, 3);
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < 3; t++) {
                label.putScalar(new int[] {i, t, (i + t) % 3}, 1);
            }
        }
        INDArray[] inputs = {x};
        INDArray[] targets = {value, label};
        KilnModel unreduced = LayerTesting.model(loader, "reduce.UnreducedModel");
        unreduced.setWeights(mean.getWeights());
        double[] m = mean.computeGradients(inputs, targets, false).outputLosses();
        Map<String, INDArray> gm = mean.gradients();
        double[] s = summed.computeGradients(inputs, targets, false).outputLosses();
        Map<String, INDArray> gs = summed.gradients();
        double[] n = unreduced.computeGradients(inputs, targets, false).outputLosses();
        Map<String, INDArray> gn = unreduced.gradients();
        int sampleLosses = batch * 3; // a (batch, 3, k) output has one loss per sample and step
        for (int o = 0; o < 2; o++) {
            assertEquals(m[o] * sampleLosses, s[o], 1e-12, "SUM: the mean times the number of sample losses");
            assertEquals(m[o], n[o], 1e-12, "NONE reports the mean");
        }
        for (String w : gm.keySet()) {
            assertEquals(0, gm.get(w).mul(sampleLosses).distance2(gs.get(w)), 1e-12, "SUM's gradient of " + w);
            assertEquals(0, gs.get(w).distance2(gn.get(w)), 1e-12, "NONE trains the sum: " + w);
        }

        OutputSpec spec = unreduced.spec().outputs().get(0).spec();
        INDArray perSample = Losses.perSample(spec, unreduced.predictBatch(inputs)[0], value);
        assertEquals(java.util.List.of(4L, 3L), java.util.Arrays.stream(perSample.shape()).boxed().toList());
        assertEquals(m[0], perSample.meanNumber().doubleValue(), 1e-12, "the per-sample losses average to the mean");
    }

    @Test
    void aReductionWithoutALossIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    @Dense(units = 2) @Output(reduction = Reduction.SUM) Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, ".SUM)",
                "[kiln/IllegalAttribute] output 'y' has reduction = SUM, but no loss to reduce. Give it a loss, e.g."
                        + " @Output(loss = Loss.MEAN_SQUARED_ERROR, reduction = Reduction.SUM), or drop reduction.");
    }
}
