package dev.kiln.dsl;

/** Losses, Keras's names in upper case ({@code keras.losses}), each reduced with {@code sum_over_batch_size}. */
public enum Loss {
    /** No loss: the output is only predicted. */
    NONE,
    MEAN_SQUARED_ERROR,
    MEAN_ABSOLUTE_ERROR,
    /** {@code delta = 1.0}. */
    HUBER,
    /** Over probabilities (clipped to {@code [1e-7, 1 - 1e-7]}). */
    BINARY_CROSSENTROPY,
    /** Over probabilities (renormalized, clipped), one-hot targets. */
    CATEGORICAL_CROSSENTROPY,
    /** Over probabilities, class-id targets of shape {@code (batch)} or {@code (batch, 1)}. */
    SPARSE_CATEGORICAL_CROSSENTROPY
}
