package dev.kiln.dsl;

/** Weight initializers, Keras's names in upper case ({@code keras.initializers}), drawn from the model's seed. */
public enum Initializer {
    GLOROT_UNIFORM,
    /** Truncated normal at two standard deviations, as Keras. */
    GLOROT_NORMAL,
    HE_UNIFORM,
    HE_NORMAL,
    LECUN_UNIFORM,
    LECUN_NORMAL,
    ZEROS,
    ONES,
    /** Keras's default for recurrent kernels. */
    ORTHOGONAL,
    /** Keras's {@code RandomUniform(-0.05, 0.05)}, its {@code "uniform"}: the default for embeddings. */
    RANDOM_UNIFORM
}
