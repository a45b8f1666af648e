package dev.kiln.dsl;

/**
 * Element types of model inputs, as Keras's {@code Input(dtype=...)}. Integer inputs hold ids, which only a layer that
 * looks ids up ({@code Embedding}) takes; float inputs are cast to the dtype the model computes in (float32 unless it is
 * created in float64), as Keras layers cast their inputs to their compute dtype.
 */
public enum DType {
    /** 32-bit floats: features, pixels. */
    FLOAT32,
    /** 64-bit floats: data kept in double precision; the model computes in its own dtype. */
    FLOAT64,
    /** 32-bit integers: class or token ids. */
    INT32,
    /** 64-bit integers: ids as numpy and Keras's {@code int64} inputs hold them. */
    INT64;

    /** True for the integer types, whose values are ids. */
    public boolean ids() {
        return this == INT32 || this == INT64;
    }
}
