package dev.kiln.dsl;

import java.util.Locale;

/**
 * How an output's loss reduces the losses of its samples to one number: Keras's {@code reduction} argument of a loss.
 * A sample's loss is first reduced over the output's last axis (a mean for the regression losses, a sum for the
 * cross-entropies); what is left has one entry per sample (per sample and step for a sequence output).
 */
public enum Reduction {
    /** Keras's default: the mean of the samples' losses. */
    SUM_OVER_BATCH_SIZE,
    /** The sum of the samples' losses: a batch of 32 weighs 32 times one sample, and the gradients scale with it. */
    SUM,
    /**
     * No reduction, as Keras's TensorFlow backend trains a loss that returns one value per sample: the gradients are
     * those of the samples' sum and the reported loss is their mean. A custom loop reads the samples' losses
     * themselves from {@code dev.kiln.runtime.loss.Losses.perSample}.
     */
    NONE;

    /** Keras's spelling, {@code sum_over_batch_size}, {@code sum} or {@code none}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
