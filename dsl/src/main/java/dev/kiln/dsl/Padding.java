package dev.kiln.dsl;

/**
 * How a convolution or pooling window meets the input's border, Keras's {@code padding} strings in upper case.
 * {@code VALID}: windows lie inside the input, {@code out = floor((n - (k - 1) * d - 1) / s) + 1}. {@code SAME}:
 * TensorFlow's padding, {@code out = ceil(n / s)}, with {@code max((out - 1) * s + (k - 1) * d + 1 - n, 0)} zeros
 * added, half before and the odd one after (bottom, right). {@code CAUSAL}: Keras's {@code "causal"}, for
 * {@code Conv1D} only: {@code (k - 1) * d} zeros before the first step and none after, so that output {@code t} sees no
 * input after step {@code t * s}; {@code out = ceil(n / s)}.
 */
public enum Padding {
    VALID,
    SAME,
    CAUSAL
}
