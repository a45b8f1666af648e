package dev.kiln.runtime.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of Keras's optimizers, working on a model's weights as one flat buffer: {@code params} and {@code grads} are
 * contiguous vectors of equal length, made of the model's variables laid end to end (sizes given to {@link #build}),
 * so that a step is a handful of native ops over all weights at once.
 *
 * <p>CONTRACT (kept by every subclass; the generated models rely on it):
 * <ul>
 *   <li>{@code build(variableSizes, dtype)} is called once, by {@code compile}, before the first {@code apply};
 *   <li>{@code apply(params, grads)} performs one update in place on {@code params}; it may overwrite {@code grads}
 *       (clipping); it increments {@link #iterations()};
 *   <li>{@code learningRate()} / {@code setLearningRate} are read and written by callbacks (ReduceLROnPlateau);
 *   <li>{@code state()} / {@code loadState} round-trip every slot and the iteration count for save/load.
 * </ul>
 */
public abstract class Optimizer {
    // Implementation lands with the optimizers work; see the contract above.
    public abstract void build(long[] variableSizes, DataType dtype);

    public abstract void apply(INDArray params, INDArray grads);

    public abstract long iterations();

    public abstract double learningRate();

    public abstract void setLearningRate(double learningRate);

    /** Keras's name of the optimizer and its hyper-parameters, e.g. {@code Adam(learning_rate=0.001, ...)}. */
    public abstract String config();

    /** Every slot buffer by name ({@code m}, {@code v}, ...) plus {@code iterations}; copies. */
    public abstract java.util.Map<String, INDArray> state();

    public abstract void loadState(java.util.Map<String, INDArray> state);
}
