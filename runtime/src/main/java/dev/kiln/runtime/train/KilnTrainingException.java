package dev.kiln.runtime.train;

/**
 * Training diverged: a batch's loss became NaN or infinite. {@link Trainer#fit} throws it unless a callback (such as
 * {@link TerminateOnNaN}) stopped training at that batch. The message names the epoch and batch as the progress bar
 * counts them (from 1) and each output whose loss is not finite, e.g.
 * {@code loss became NaN at epoch 3, batch 17 (output 'main_output' loss = NaN); lower the learning rate or check
 * the data for NaN}.
 */
public final class KilnTrainingException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    /**
     * @param epoch the epoch's index, from 0
     * @param batch the batch's index in its epoch, from 0
     */
    public KilnTrainingException(String message, int epoch, int batch) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch's index, from 0 (as callbacks count). */
    public int epoch() {
        return epoch;
    }

    /** The batch's index in its epoch, from 0 (as callbacks count). */
    public int batch() {
        return batch;
    }
}
