package dev.kiln.runtime.metric;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import java.util.Locale;

/** Turns the metrics named in {@code @Output} into {@link RunningMetric}s, the way Keras's {@code compile} does. */
public final class Metrics {

    private Metrics() {
    }

    /** Keras's name of a metric in logs: the constant in lower case ({@code accuracy}, {@code mean_absolute_error}). */
    public static String kerasName(Metric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }

    /** Whether a larger value is better (the accuracies) or a smaller one (the errors); Keras's {@code _direction}. */
    public static boolean higherIsBetter(Metric metric) {
        return switch (metric) {
            case MEAN_ABSOLUTE_ERROR, MEAN_SQUARED_ERROR -> false;
            default -> true;
        };
    }

    /**
     * A fresh metric named {@link #kerasName}, for an output trained with {@code loss} whose batches have the given
     * shapes (the shapes matter only for {@link Metric#ACCURACY}, see {@link #resolveAccuracy}).
     */
    public static RunningMetric create(Metric metric, Loss loss, long[] yPredShape, long[] yTrueShape) {
        return create(metric, loss, false, yPredShape, yTrueShape);
    }

    /**
     * As {@link #create(Metric, Loss, long[], long[])}, for an output that holds logits when {@code fromLogits}: a binary
     * accuracy then thresholds at 0, the logit of probability 0.5 (Keras would compare the logits with 0.5).
     */
    public static RunningMetric create(Metric metric, Loss loss, boolean fromLogits, long[] yPredShape,
            long[] yTrueShape) {
        String name = kerasName(metric);
        Metric kind = metric == Metric.ACCURACY ? resolveAccuracy(loss, yPredShape, yTrueShape) : metric;
        return switch (kind) {
            case BINARY_ACCURACY -> new BinaryAccuracy(name, fromLogits ? 0.0 : BinaryAccuracy.DEFAULT_THRESHOLD);
            case CATEGORICAL_ACCURACY -> new CategoricalAccuracy(name);
            case SPARSE_CATEGORICAL_ACCURACY -> new SparseCategoricalAccuracy(name);
            case TOP_K_CATEGORICAL_ACCURACY -> new TopKCategoricalAccuracy(name, TopKCategoricalAccuracy.DEFAULT_K);
            case SPARSE_TOP_K_CATEGORICAL_ACCURACY ->
                    new SparseTopKCategoricalAccuracy(name, TopKCategoricalAccuracy.DEFAULT_K);
            case MEAN_ABSOLUTE_ERROR -> new MeanAbsoluteErrorMetric(name);
            case MEAN_SQUARED_ERROR -> new MeanSquaredErrorMetric(name);
            case ACCURACY -> throw new AssertionError("ACCURACY resolves to a concrete accuracy");
        };
    }

    /**
     * Which accuracy Keras's {@code "accuracy"} means for an output. The cross-entropy losses decide
     * (binary -> {@link Metric#BINARY_ACCURACY}, categorical -> {@link Metric#CATEGORICAL_ACCURACY}, sparse
     * categorical -> {@link Metric#SPARSE_CATEGORICAL_ACCURACY}); for any other loss Keras's shape rule
     * ({@code compile_utils.get_metric}) does: binary when the prediction's last axis is 1, sparse when the target
     * has a lower rank than the prediction or a last axis of 1 against more than one class, categorical otherwise.
     */
    public static Metric resolveAccuracy(Loss loss, long[] yPredShape, long[] yTrueShape) {
        switch (loss) {
            case BINARY_CROSSENTROPY:
                return Metric.BINARY_ACCURACY;
            case CATEGORICAL_CROSSENTROPY:
                return Metric.CATEGORICAL_ACCURACY;
            case SPARSE_CATEGORICAL_CROSSENTROPY:
                return Metric.SPARSE_CATEGORICAL_ACCURACY;
            default:
                break;
        }
        long predLast = last(yPredShape);
        long trueLast = last(yTrueShape);
        if (predLast == 1) {
            return Metric.BINARY_ACCURACY;
        }
        if (yTrueShape.length < yPredShape.length || (trueLast == 1 && predLast > 1)) {
            return Metric.SPARSE_CATEGORICAL_ACCURACY;
        }
        return Metric.CATEGORICAL_ACCURACY;
    }

    private static long last(long[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }
}
