package dev.kiln.runtime.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final long[] PROBS = {32, 10};
    private static final long[] ONE_HOT = {32, 10};
    private static final long[] IDS = {32};
    private static final long[] IDS_COLUMN = {32, 1};
    private static final long[] SIGMOID = {32, 1};

    @Test
    void accuracyFollowsTheCrossEntropyLoss() {
        assertEquals(Metric.SPARSE_CATEGORICAL_ACCURACY,
                Metrics.resolveAccuracy(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, PROBS, IDS));
        assertEquals(Metric.CATEGORICAL_ACCURACY, Metrics.resolveAccuracy(Loss.CATEGORICAL_CROSSENTROPY, PROBS, ONE_HOT));
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolveAccuracy(Loss.BINARY_CROSSENTROPY, SIGMOID, SIGMOID));
        // multi-label binary cross-entropy stays binary, where Keras's shape rule alone would say categorical
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolveAccuracy(Loss.BINARY_CROSSENTROPY, PROBS, ONE_HOT));
    }

    @Test
    void otherwiseKerasShapeRuleDecides() {
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolveAccuracy(Loss.MEAN_SQUARED_ERROR, SIGMOID, SIGMOID));
        assertEquals(Metric.SPARSE_CATEGORICAL_ACCURACY, Metrics.resolveAccuracy(Loss.MEAN_SQUARED_ERROR, PROBS, IDS));
        assertEquals(Metric.SPARSE_CATEGORICAL_ACCURACY,
                Metrics.resolveAccuracy(Loss.HUBER, PROBS, IDS_COLUMN));
        assertEquals(Metric.CATEGORICAL_ACCURACY, Metrics.resolveAccuracy(Loss.NONE, PROBS, ONE_HOT));
    }

    @Test
    void accuracyKeepsTheNameAccuracy() {
        RunningMetric m = Metrics.create(Metric.ACCURACY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, PROBS, IDS);
        assertInstanceOf(SparseCategoricalAccuracy.class, m);
        assertEquals("accuracy", m.name());
        assertInstanceOf(CategoricalAccuracy.class,
                Metrics.create(Metric.ACCURACY, Loss.CATEGORICAL_CROSSENTROPY, PROBS, ONE_HOT));
        assertInstanceOf(BinaryAccuracy.class,
                Metrics.create(Metric.ACCURACY, Loss.BINARY_CROSSENTROPY, SIGMOID, SIGMOID));
    }

    @Test
    void everyOtherMetricHasItsKerasName() {
        for (Metric metric : Metric.values()) {
            RunningMetric m = Metrics.create(metric, Loss.MEAN_SQUARED_ERROR, PROBS, ONE_HOT);
            assertEquals(Metrics.kerasName(metric), m.name());
            assertEquals(Metrics.higherIsBetter(metric), m.higherIsBetter());
        }
        assertEquals("mean_absolute_error", Metrics.kerasName(Metric.MEAN_ABSOLUTE_ERROR));
        assertEquals("sparse_top_k_categorical_accuracy", Metrics.kerasName(Metric.SPARSE_TOP_K_CATEGORICAL_ACCURACY));
        assertInstanceOf(TopKCategoricalAccuracy.class,
                Metrics.create(Metric.TOP_K_CATEGORICAL_ACCURACY, Loss.NONE, PROBS, ONE_HOT));
        assertInstanceOf(MeanSquaredErrorMetric.class,
                Metrics.create(Metric.MEAN_SQUARED_ERROR, Loss.NONE, PROBS, ONE_HOT));
    }
}
