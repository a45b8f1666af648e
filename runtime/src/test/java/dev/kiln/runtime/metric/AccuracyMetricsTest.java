package dev.kiln.runtime.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AccuracyMetricsTest {

    private static INDArray m(float[][] rows) {
        return Nd4j.create(rows);
    }

    @Test
    void categoricalAccuracyIsTheRunningMeanOverSamples() {
        CategoricalAccuracy acc = new CategoricalAccuracy();
        // batch 1: argmax 1, 0, 1 against 1, 1, 1 -> 2 of 3
        acc.update(m(new float[][] {{.1f, .9f}, {.8f, .2f}, {.3f, .7f}}),
                m(new float[][] {{0, 1}, {0, 1}, {0, 1}}));
        assertEquals(2.0 / 3, acc.result(), 1e-9);
        // batch 2: one sample, right -> 3 of 4 (not the mean of the batch means, 5/6)
        acc.update(m(new float[][] {{.6f, .4f}}), m(new float[][] {{1, 0}}));
        assertEquals(0.75, acc.result(), 1e-9);
        assertEquals("categorical_accuracy", acc.name());
        assertTrue(acc.higherIsBetter());
        acc.reset();
        assertEquals(0.0, acc.result());
    }

    @Test
    void categoricalAccuracyRejectsClassIdTargetsAndNamesTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CategoricalAccuracy()
                .update(m(new float[][] {{.1f, .9f}}), Nd4j.create(new float[] {1}, 1, 1)));
        assertEquals("categorical_accuracy compares one-hot targets with predictions of the same shape, but the"
                + " targets are (batch, 1) and the predictions (batch, 2); for class-id targets use"
                + " SPARSE_CATEGORICAL_ACCURACY (or the loss SPARSE_CATEGORICAL_CROSSENTROPY with ACCURACY)",
                e.getMessage());
    }

    @Test
    void sparseCategoricalAccuracyTakesFloatOrIntIdsOfShapeBatchOrBatchOne() {
        INDArray pred = m(new float[][] {{.1f, .2f, .7f}, {.5f, .3f, .2f}, {.2f, .6f, .2f}, {.3f, .3f, .4f}});
        // argmax 2, 0, 1, 2
        INDArray floatIds = Nd4j.create(new float[] {2, 0, 2, 2});
        INDArray intIds = Nd4j.create(new int[] {2, 0, 2, 2}, new long[] {4, 1}, DataType.INT32);
        for (INDArray ids : new INDArray[] {floatIds, intIds}) {
            SparseCategoricalAccuracy acc = new SparseCategoricalAccuracy();
            acc.update(pred, ids);
            assertEquals(0.75, acc.result(), 1e-9);
        }
    }

    @Test
    void sparseCategoricalAccuracyRejectsOneHotTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalAccuracy().update(m(new float[][] {{.1f, .9f}}), m(new float[][] {{0, 1}})));
        assertTrue(e.getMessage().contains("use CATEGORICAL_ACCURACY"), e.getMessage());
    }

    @Test
    void binaryAccuracyThresholdsAtHalfAndComparesExactly() {
        BinaryAccuracy acc = new BinaryAccuracy();
        // .6 -> 1 = 1, .4 -> 0 = 0, .51 -> 1 != 0, .5 -> 0 (not above) != 1
        acc.update(Nd4j.create(new float[] {.6f, .4f, .51f, .5f}, 4, 1), Nd4j.create(new float[] {1, 0, 0, 1}, 4, 1));
        assertEquals(0.5, acc.result(), 1e-9);
    }

    @Test
    void binaryAccuracyAveragesOverTheLastAxisThenOverSamples() {
        BinaryAccuracy acc = new BinaryAccuracy("binary_accuracy", 0.5);
        // sample 1: both right (1.0); sample 2: one of two (0.5) -> 0.75 over 2 samples
        acc.update(m(new float[][] {{.9f, .1f}, {.9f, .9f}}), m(new float[][] {{1, 0}, {1, 0}}));
        acc.update(m(new float[][] {{.9f, .9f}}), m(new float[][] {{0, 0}}));   // sample 3: 0.0
        assertEquals(1.5 / 3, acc.result(), 1e-9);
    }

    @Test
    void topKCategoricalCountsTiesAtTheKthScoreAsIn() {
        TopKCategoricalAccuracy acc = new TopKCategoricalAccuracy("top_k_categorical_accuracy", 2);
        INDArray pred = m(new float[][] {
                {.4f, .3f, .2f, .1f},    // target 1: second -> in
                {.4f, .3f, .2f, .1f},    // target 2: third -> out
                {.4f, .2f, .2f, .2f},    // target 3: tied for second -> in (in_top_k)
        });
        INDArray oneHot = m(new float[][] {{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        acc.update(pred, oneHot);
        assertEquals(2.0 / 3, acc.result(), 1e-9);
        assertEquals(5, new TopKCategoricalAccuracy().k());
    }

    @Test
    void sparseTopKTakesClassIds() {
        SparseTopKCategoricalAccuracy acc = new SparseTopKCategoricalAccuracy("sparse_top_k_categorical_accuracy", 1);
        acc.update(m(new float[][] {{.1f, .9f}, {.8f, .2f}}), Nd4j.create(new float[] {1, 1}));
        assertEquals(0.5, acc.result(), 1e-9);
        SparseTopKCategoricalAccuracy five = new SparseTopKCategoricalAccuracy();
        five.update(m(new float[][] {{.1f, .9f}, {.8f, .2f}}), Nd4j.create(new float[] {1, 1}));
        assertEquals(1.0, five.result(), 1e-9);   // k = 5 >= 2 classes
    }

    @Test
    void metricsReadViewsOfALargerBuffer() {
        INDArray buffer = m(new float[][] {{.1f, .9f}, {.8f, .2f}, {9, 0}, {9, 0}});
        INDArray view = buffer.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all());
        SparseCategoricalAccuracy acc = new SparseCategoricalAccuracy();
        acc.update(view, Nd4j.create(new float[] {1, 0}));
        assertEquals(1.0, acc.result(), 1e-9);
    }
}
