package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stateful metric, as Keras's {@code keras.metrics.Metric}: {@link #update} folds one batch in, {@link #result} is
 * the running mean since the last {@link #reset}, weighted by the number of values each batch contributed (one per
 * sample for outputs of shape {@code (batch, n)}), so an epoch's result does not depend on how it was batched.
 *
 * <p>Implementations make a few ND4J calls per batch (an arg-max, a reduction) and finish in a Java loop over a
 * copy of the small per-sample results; they never call ND4J per element.
 */
public abstract class RunningMetric {

    private final String name;
    private double total;
    private double count;

    /** @param name the name the metric has in logs and History, e.g. {@code accuracy} */
    protected RunningMetric(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a metric needs a non-blank name, e.g. \"accuracy\"");
        }
        this.name = name;
    }

    /** The name in logs and History, as Keras names it ({@code accuracy}, {@code mean_absolute_error}, ...). */
    public final String name() {
        return name;
    }

    /** Keras's {@code _direction}: true for accuracies ("up"), false for errors ("down"). */
    public abstract boolean higherIsBetter();

    /**
     * Folds in one batch. The arrays may be views or a model's reused buffers: nothing is kept after the call.
     *
     * @param yPred the model's predictions, {@code (batch, ...)}
     * @param yTrue the targets, as the output's loss takes them
     * @throws IllegalArgumentException when the shapes do not fit this metric, saying which metric fits
     */
    public abstract void update(INDArray yPred, INDArray yTrue);

    /** The running mean over everything since {@link #reset}; 0 before any update (Keras's {@code divide_no_nan}). */
    public final double result() {
        return count == 0 ? 0.0 : total / count;
    }

    /** Forgets every batch; the trainer calls it at each epoch's start. */
    public final void reset() {
        total = 0;
        count = 0;
    }

    /** Adds {@code sum} over {@code n} values to the running mean. */
    protected final void accumulate(double sum, double n) {
        total += sum;
        count += n;
    }

    @Override
    public String toString() {
        return name + ": " + result();
    }
}
