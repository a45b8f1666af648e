package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @ELU}: values against the formula, and gradients on both sides of zero. */
class ELULayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("elu.Values", """
                package elu;
                import dev.kiln.dsl.*;
                @Model interface Values {
                    @Input(shape = 3) Tensor x();
                    @ELU @Output Tensor one(Tensor x);
                    @ELU(alpha = 0.5) @Output Tensor half(Tensor x);
                }
                """, "elu.Trained", """
                package elu;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {2, 5}) Tensor x();
                    @Dense(units = 5) Tensor h(Tensor x);
                    @ELU(alpha = 1.7) Tensor e(Tensor h);
                    @Flatten Tensor f(Tensor e);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor f);
                }
                """);
    }

    @Test
    void valuesFollowTheFormula() {
        var model = LayerTesting.model(loader, "elu.ValuesModel");
        var x = org.nd4j.linalg.factory.Nd4j.create(new double[] {-1, 0, 2}, new long[] {1, 3}, 'c');
        var out = model.predictBatch(new org.nd4j.linalg.api.ndarray.INDArray[] {x});
        // alpha * (e^-1 - 1): -0.6321205588285577 for alpha 1
        assertArrayEquals(new double[] {-0.6321205588285577, 0, 2}, out[0].data().asDouble(), 1e-15);
        assertArrayEquals(new double[] {-0.31606027941427883, 0, 2}, out[1].data().asDouble(), 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "elu.TrainedModel"), "ELU(1.7)");
    }
}
