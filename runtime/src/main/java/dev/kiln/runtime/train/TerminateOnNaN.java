package dev.kiln.runtime.train;

import java.util.Map;

/**
 * Stops training, without an exception, as soon as the loss is NaN or infinite, as Keras's {@code TerminateOnNaN}.
 * That batch's epoch still ends (its values, NaN included, reach History and the other callbacks). Without this
 * callback {@link Trainer#fit} throws {@link KilnTrainingException} instead.
 */
public final class TerminateOnNaN implements Callback {

    private TrainingContext context;

    @Override
    public void setContext(TrainingContext context) {
        this.context = context;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            if (context.verbose() > 0) {
                context.out().println();
                context.out().println("Batch " + batch + ": Invalid loss, terminating training");
            }
            context.stopTraining();
        }
    }
}
