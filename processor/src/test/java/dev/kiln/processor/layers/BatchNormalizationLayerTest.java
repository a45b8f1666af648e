package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @BatchNormalization}: moving statistics after training steps agree with a naive computation (momentum, biased
 * variance), inference uses them, save and load keep them, a frozen layer runs in inference mode, and Keras's counts.
 */
class BatchNormalizationLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        String pattern = """
                package bn;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = {3, 4}) Tensor x();
                    @BatchNormalization(momentum = 0.9%s) Tensor normed(Tensor x);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor normed);
                }
                """;
        loader = LayerTesting.compile("bn.Trained", pattern.formatted("Trained", ""), "bn.Frozen",
                pattern.formatted("Frozen", ", trainable = false"));
    }

    /** Five samples of (3, 4), uniform in [seed % 3, seed % 3 + 3). */
    private static INDArray batch(int seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, 5, 3, 4);
        for (int i = 0; i < x.length(); i++) {
            x.putScalar(i, seed % 3 + 3 * random.nextDouble());
        }
        return x;
    }

    @Test
    void movingStatisticsFollowTheBatchesWithMomentumAndTheBiasedVariance() {
        KilnModel m = LayerTesting.model(loader, "bn.TrainedModel");
        m.compile(new SGD(0.01));
        double[] mean = new double[4];
        double[] variance = {1, 1, 1, 1};
        for (int step = 1; step <= 3; step++) {
            INDArray x = batch(step);
            m.trainStep(new INDArray[] {x}, new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 5, 3, 2)});
            double[] v = x.dup('c').data().asDouble();
            for (int c = 0; c < 4; c++) {
                double sum = 0;
                for (int r = 0; r < 15; r++) {
                    sum += v[r * 4 + c];
                }
                double mu = sum / 15;
                double squares = 0;
                for (int r = 0; r < 15; r++) {
                    squares += (v[r * 4 + c] - mu) * (v[r * 4 + c] - mu);
                }
                mean[c] = 0.9 * mean[c] + 0.1 * mu;
                variance[c] = 0.9 * variance[c] + 0.1 * squares / 15; // biased, as Keras
            }
        }
        assertArrayEquals(mean, m.getWeights().get("normed/moving_mean").data().asDouble(), 1e-12);
        assertArrayEquals(variance, m.getWeights().get("normed/moving_variance").data().asDouble(), 1e-12);

        // inference normalizes by them: with the head set to pick channel 0, y = gamma (x - mean) / sqrt(var + 1e-3) + beta
        Map<String, INDArray> w = m.getWeights();
        INDArray gamma = w.get("normed/gamma");
        INDArray beta = w.get("normed/beta");
        INDArray kernel = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        kernel.putScalar(0, 0, 1.0);
        w.put("y/kernel", kernel);
        w.put("y/bias", Nd4j.zeros(DataType.DOUBLE, 2));
        m.setWeights(w);
        INDArray x = batch(7);
        INDArray y = m.predictBatch(new INDArray[] {x})[0];
        double expected = gamma.getDouble(0) * (x.getDouble(0, 1, 0) - mean[0]) / Math.sqrt(variance[0] + 1e-3)
                + beta.getDouble(0);
        assertEquals(expected, y.getDouble(0, 1, 0), 1e-12);
    }

    @Test
    void saveAndLoadKeepTheMovingStatistics(@TempDir Path dir) throws Exception {
        KilnModel m = LayerTesting.model(loader, "bn.TrainedModel");
        m.compile(new SGD(0.01));
        m.trainStep(new INDArray[] {batch(1)}, new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 5, 3, 2)});
        Path file = dir.resolve("bn.kiln");
        m.save(file);
        assertTrue(Files.size(file) > 0);
        KilnModel loaded = (KilnModel) m.getClass().getMethod("load", Path.class).invoke(null, file);
        assertEquals(m.getWeights().get("normed/moving_mean"), loaded.getWeights().get("normed/moving_mean"));
        assertEquals(m.getWeights().get("normed/moving_variance"),
                loaded.getWeights().get("normed/moving_variance"));
    }

    @Test
    void aFrozenLayerRunsInInferenceModeAndKeepsItsStatistics() {
        KilnModel m = LayerTesting.model(loader, "bn.FrozenModel");
        m.compile(new SGD(0.1));
        INDArray before = m.getWeights().get("normed/moving_mean");
        m.trainStep(new INDArray[] {batch(2)}, new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 5, 3, 2)});
        assertEquals(before, m.getWeights().get("normed/moving_mean"));
        assertEquals(Nd4j.ones(DataType.DOUBLE, 4), m.getWeights().get("normed/gamma"), "frozen: gamma not trained");
        LayerTesting.assertGradientsMatch(m, "frozen BatchNormalization");
    }

    @Test
    void gradientsInTrainingModeMatchFiniteDifferences() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "bn.TrainedModel"), "BatchNormalization");
    }

    @Test
    void kerasCountsTheMovingStatisticsAsNonTrainable() {
        KilnModel m = LayerTesting.model(loader, "bn.TrainedModel");
        // Keras: 4 * 4 parameters, of which moving_mean and moving_variance (8) are non-trainable
        assertEquals(4 * 4 + (4 * 2 + 2), m.countParams());
        assertTrue(m.summary().contains("Non-trainable params: 8 "), m.summary());
    }
}
