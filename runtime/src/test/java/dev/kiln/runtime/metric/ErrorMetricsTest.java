package dev.kiln.runtime.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ErrorMetricsTest {

    private final INDArray pred = Nd4j.create(new float[][] {{1, 2}, {3, 4}});
    private final INDArray target = Nd4j.create(new float[][] {{1.5f, 2}, {1, 8}});

    @Test
    void meanAbsoluteError() {
        MeanAbsoluteErrorMetric mae = new MeanAbsoluteErrorMetric();
        mae.update(pred, target);
        // per sample: (0.5 + 0) / 2 = 0.25, (2 + 4) / 2 = 3 -> 1.625
        assertEquals(1.625, mae.result(), 1e-6);
        assertEquals("mean_absolute_error", mae.name());
        assertFalse(mae.higherIsBetter());
    }

    @Test
    void meanSquaredErrorIsARunningMeanOverSamples() {
        MeanSquaredErrorMetric mse = new MeanSquaredErrorMetric();
        mse.update(pred, target);                      // (0.25 / 2) and (20 / 2): sum 10.125 over 2 samples
        mse.update(Nd4j.create(new float[][] {{0, 0}}), Nd4j.create(new float[][] {{1, 1}}));   // 1 over 1
        assertEquals((10.125 + 1) / 3, mse.result(), 1e-6);
        assertEquals("mean_squared_error", mse.name());
    }

    @Test
    void targetsOfShapeBatchMeetPredictionsOfShapeBatchOne() {
        MeanAbsoluteErrorMetric mae = new MeanAbsoluteErrorMetric();
        mae.update(Nd4j.create(new float[] {1, 2, 3}, 3, 1), Nd4j.create(new double[] {0, 2, 5}));
        assertEquals(1.0, mae.result(), 1e-6);
    }
}
