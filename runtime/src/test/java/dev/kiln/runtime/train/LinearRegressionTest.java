package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A real (tiny) training: y = x W + b learnt by SGD through the trainer, with data in reused buffers. */
class LinearRegressionTest {

    private static final INDArray TRUE_KERNEL = Nd4j.create(new float[][] {{2, -1}, {0.5f, 3}, {-1.5f, 1}});
    private static final INDArray TRUE_BIAS = Nd4j.create(new float[] {0.25f, -0.5f});

    private static ArraySource data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 3);
        INDArray y = x.mmul(TRUE_KERNEL).addiRowVector(TRUE_BIAS);
        return ArraySource.of(x, y).reusingBuffers();
    }

    @Test
    void sgdThroughTheTrainerLearnsTheLine() {
        LinearModel model = new LinearModel(3, 2, 16);
        model.compile(new dev.kiln.runtime.optim.SGD(0.1));
        ArraySource train = data(100, 1);
        History history = new Trainer().fit(model, train, Fit.epochs(30).batchSize(16).verbose(0).seed(3)
                .validationData(data(20, 2)));
        List<Double> loss = history.get("loss");
        assertEquals(30, loss.size());
        assertTrue(loss.get(29) < loss.get(0) / 100, "loss " + loss);
        assertTrue(history.last("val_loss") < 1e-3, "val_loss " + history.last("val_loss"));
        assertTrue(history.last("mean_absolute_error") < 0.05);
        assertArrayEquals(TRUE_KERNEL.toFloatMatrix()[0], model.kernel().toFloatMatrix()[0], 0.02f);
        assertEquals(30 * 7, model.optimizer().iterations());   // ceil(100 / 16) = 7 steps per epoch
        assertEquals(30, history.epochSeconds().size());
        assertEquals(30, history.samplesPerSecond().size());
    }

    @Test
    void evaluateAgreesWithTheModel() {
        LinearModel model = new LinearModel(3, 2, 8);
        model.compile(new dev.kiln.runtime.optim.SGD(0.1));
        ArraySource data = data(10, 4);
        Evaluation evaluation = new Trainer().evaluate(model, data, 4);
        // zero weights predict 0: the loss is the mean of y^2, the mean absolute error the mean of |y|
        INDArray y = data(10, 4).epoch(10, false, 0, 0).next().targets()[0];
        assertEquals(y.mul(y).meanNumber().doubleValue(), evaluation.loss(), 1e-5);
        assertEquals(y.norm1Number().doubleValue() / 20, evaluation.get("mean_absolute_error"), 1e-5);
    }

    @Test
    void predictConcatenatesCopiesOfTheModelsReusedBuffers() {
        LinearModel model = new LinearModel(3, 2, 4);
        model.setWeights(java.util.Map.of("y/kernel", TRUE_KERNEL, "y/bias", TRUE_BIAS));
        ArraySource data = data(10, 5);
        INDArray[] predicted = new Trainer().predict(model, data, 4);
        INDArray x = data.epoch(10, false, 0, 0).next().inputs()[0];
        INDArray expected = x.mmul(TRUE_KERNEL).addiRowVector(TRUE_BIAS);
        assertEquals(1, predicted.length);
        assertArrayEquals(new long[] {10, 2}, predicted[0].shape());
        assertTrue(expected.equalsWithEps(predicted[0], 1e-5), predicted[0] + " vs " + expected);
    }
}
