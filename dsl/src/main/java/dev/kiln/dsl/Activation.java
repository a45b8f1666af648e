package dev.kiln.dsl;

/** Activation functions, Keras's names in upper case ({@code keras.activations}). */
public enum Activation {
    LINEAR,
    RELU,
    SIGMOID,
    TANH,
    /** Along the last axis. */
    SOFTMAX,
    /** {@code alpha = 1.0}. */
    ELU,
    SELU,
    /** Exact (erf) form, Keras's default {@code approximate=False}. */
    GELU,
    /** Keras's {@code gelu(x, approximate=True)}: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    GELU_APPROXIMATE,
    SOFTPLUS,
    SOFTSIGN,
    /** {@code x * sigmoid(x)}; the same function as {@link #SILU}. */
    SWISH,
    SILU,
    /** Keras's {@code leaky_relu} activation, {@code negative_slope = 0.2}. */
    LEAKY_RELU,
    /** Keras 3's {@code hard_sigmoid}: {@code relu6(x + 3) / 6}. */
    HARD_SIGMOID
}
