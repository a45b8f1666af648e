package dev.kiln.dsl;

/**
 * How {@code UpSampling2D} fills the cells between the input's pixels, Keras's {@code interpolation} strings in upper
 * case. {@code NEAREST}: each pixel repeated. {@code BILINEAR}: TensorFlow's {@code resize} with half-pixel centres
 * (as Keras 3 on every backend), output cell {@code o} reading the input at {@code (o + 0.5) / size - 0.5}, the two
 * nearest pixels weighted linearly and positions beyond the border clamped to it.
 */
public enum Interpolation {
    NEAREST,
    BILINEAR
}
