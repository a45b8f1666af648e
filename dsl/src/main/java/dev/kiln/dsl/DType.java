package dev.kiln.dsl;

/** Element types of model inputs. */
public enum DType {
    /** 32-bit floats: features, pixels. */
    FLOAT32,
    /** 32-bit integers: class or token ids. */
    INT32
}
