package dev.kiln.dsl;

/** How {@link Bidirectional} combines its two directions' outputs: Keras's {@code merge_mode}. */
public enum MergeMode {
    /** The forward output, then the backward one, along the last axis: twice the units. */
    CONCAT,
    /** {@code forward + backward}. */
    SUM,
    /** {@code forward * backward}. */
    MUL,
    /** {@code (forward + backward) / 2}. */
    AVE
}
