package dev.kiln.runtime.io;

/** How a generated model's {@code load(Path, LoadOption...)} treats what it would otherwise refuse. */
public enum LoadOption {
    /**
     * Loads weights and optimizer state that hold NaN or infinite values, which {@code load} refuses by default: such
     * a file is almost always the save of a diverged training run, and predicting or training on from it gives NaN
     * without a word. Use it to inspect such a file.
     */
    ALLOW_NON_FINITE
}
