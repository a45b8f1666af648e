package dev.kiln.dsl;

/** Metrics, Keras's names in upper case ({@code keras.metrics}). */
public enum Metric {
    /** Keras's {@code "accuracy"}: binary, categorical or sparse categorical, chosen from the output's loss. */
    ACCURACY,
    BINARY_ACCURACY,
    CATEGORICAL_ACCURACY,
    SPARSE_CATEGORICAL_ACCURACY,
    /** Top-5, one-hot targets. */
    TOP_K_CATEGORICAL_ACCURACY,
    /** Top-5, class-id targets. */
    SPARSE_TOP_K_CATEGORICAL_ACCURACY,
    MEAN_ABSOLUTE_ERROR,
    MEAN_SQUARED_ERROR
}
