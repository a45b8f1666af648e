package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import dev.kiln.runtime.KilnModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @Dropout(seed)}: a seeded layer draws the same masks whatever the model's own seed; an unseeded one does not. */
class DropoutSeedTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("drop.Seeded", source("Seeded", ", seed = 42"), "drop.Unseeded",
                source("Unseeded", ""));
    }

    private static String source(String name, String seed) {
        return """
                package drop;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = 16) Tensor x();
                    @Dense(units = 16) Tensor h(Tensor x);
                    @Dropout(rate = 0.5%s) Tensor d(Tensor h);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor d);
                }
                """.formatted(name, seed);
    }

    /** The first layer's kernel gradient after one training pass: its zero columns are the dropped units. */
    private static INDArray maskedGradient(String model, long modelSeed) {
        KilnModel m = ModelCompiler.create(loader, "drop." + model + "Model", modelSeed, DataType.DOUBLE);
        KilnModel weights = ModelCompiler.create(loader, "drop." + model + "Model", 1, DataType.DOUBLE);
        m.setWeights(weights.getWeights()); // same weights; only the model's seed differs
        INDArray x = Nd4j.linspace(DataType.DOUBLE, 1, 64, 1).reshape(4, 16).divi(64);
        INDArray y = Nd4j.ones(DataType.DOUBLE, 4, 1);
        m.computeGradients(new INDArray[] {x}, new INDArray[] {y}, true);
        return m.gradients().get("h/kernel");
    }

    @Test
    void aSeededLayerDrawsTheSameMasksUnderAnyModelSeed() {
        assertEquals(maskedGradient("Seeded", 3), maskedGradient("Seeded", 99));
    }

    @Test
    void anUnseededLayerFollowsTheModelSeed() {
        assertNotEquals(maskedGradient("Unseeded", 3), maskedGradient("Unseeded", 99));
    }
}
